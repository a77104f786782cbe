import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { runLines } from '../../src/cli/presenters/run.js'
import { runFailure } from '../../src/cli/run-exit.js'
import { PIPELINE_STAGES } from '../../src/ui/progress-state.js'

export default class RecordingsUpload extends BaseCommand<typeof RecordingsUpload> {
  static override summary = "Publishes one recording to its presets now (all, or the ones named), through the same task queue as `run`."
  static override description =
    'Stages not finished yet run first. A folder preset copies the files again; a YouTube or VK target already uploaded is never uploaded a second time (its video stays, and its URL is shown). An upload cut short resumes from the last byte the platform confirmed.'
  static override examples = ['<%= config.bin %> <%= command.id %> 42', '<%= config.bin %> <%= command.id %> 42 --preset 3', '<%= config.bin %> <%= command.id %> 42 --preset 3 --preset 5 --json']
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    preset: Flags.integer({ summary: 'Publish to this preset only (repeatable).', multiple: true }),
  }

  async run() {
    const { args, flags } = await this.parse(RecordingsUpload)
    const app = await this.app(flags)
    const targets = await (await app.service('recordings')).uploadSelection(app.localUser, args.id, { presetIds: flags.preset })
    const run = await app.service('run')
    const result = await this.withProgress(app, (control) => run.run(app.localUser, { recordingIds: [args.id], force: ['UPLOAD'], targets }, control), {
      plannedStages: PIPELINE_STAGES,
    })
    this.endedBadly(runFailure(result))
    return this.present(result, runLines)
  }
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { runLines } from '../../src/cli/presenters/run.js'
import { runFailure } from '../../src/cli/run-exit.js'
import { PIPELINE_STAGES } from '../../src/ui/progress-state.js'

const STAGES = ['DOWNLOAD', 'PROCESS', 'TRANSCRIBE', 'EXTRACT_TOPICS', 'GENERATE_SUBTITLES', 'UPLOAD'] as const

export default class RecordingsRun extends BaseCommand<typeof RecordingsRun> {
  static override summary = 'Runs one recording through the pipeline, resuming from its first unfinished stage (failed ones too).'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 42',
    '<%= config.bin %> <%= command.id %> 42 --force PROCESS',
    '<%= config.bin %> <%= command.id %> 42 --force UPLOAD --json',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    force: Flags.string({ summary: 'Redo this stage even if done (and every stage after it).', options: [...STAGES], multiple: true }),
  }

  async run() {
    const { args, flags } = await this.parse(RecordingsRun)
    const app = await this.app(flags)
    const run = await app.service('run')
    const result = await this.withProgress(
      app,
      (control) => run.run(app.localUser, { recordingIds: [args.id], force: flags.force as Array<(typeof STAGES)[number]> | undefined }, control),
      { plannedStages: PIPELINE_STAGES },
    )
    this.endedBadly(runFailure(result))
    return this.present(result, runLines)
  }
}

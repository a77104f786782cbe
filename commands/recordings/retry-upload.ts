import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { runLines } from '../../src/cli/presenters/run.js'
import { runFailure } from '../../src/cli/run-exit.js'
import { PIPELINE_STAGES } from '../../src/ui/progress-state.js'

export default class RecordingsRetryUpload extends BaseCommand<typeof RecordingsRetryUpload> {
  static override summary = "Retries a recording's failed uploads (all, or one platform's), through the same task queue as `run`."
  static override description =
    'Only targets that FAILED are tried again, each from where it stopped: a YouTube upload from the last byte YouTube confirmed, a video already created gets only its missing steps (thumbnail, playlist, captions).'
  static override examples = ['<%= config.bin %> <%= command.id %> 42', '<%= config.bin %> <%= command.id %> 42 --platform youtube']
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    platform: Flags.string({ summary: "Retry this platform's targets only.", options: ['youtube', 'vk', 'local'] }),
  }

  async run() {
    const { args, flags } = await this.parse(RecordingsRetryUpload)
    const app = await this.app(flags)
    const platform = flags.platform as 'youtube' | 'vk' | 'local' | undefined
    const targets = await (await app.service('recordings')).uploadSelection(app.localUser, args.id, { platform, failedOnly: true })
    const run = await app.service('run')
    const result = await this.withProgress(app, (control) => run.run(app.localUser, { recordingIds: [args.id], targets }, control), {
      plannedStages: PIPELINE_STAGES,
    })
    this.endedBadly(runFailure(result))
    return this.present(result, runLines)
  }
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { runLines } from '../../src/cli/presenters/run.js'
import { runFailure } from '../../src/cli/run-exit.js'
import { runOverrideFromFlags, trimFlags, withFlagNames } from '../../src/cli/resource-flags.js'

export default class RecordingsProcess extends BaseCommand<typeof RecordingsProcess> {
  static override summary = 'Trims silence from one recording (again, if it was trimmed before), with optional settings for this run.'
  static override description =
    'Detects silence on the audio stream, cuts the leading and trailing silence (edges, stream copy at keyframes) or also long inner pauses (pauses, re-encoded), and writes the edit list. Later stages wait for `recflow recordings run ID`.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 42',
    '<%= config.bin %> <%= command.id %> 42 --dry-run',
    '<%= config.bin %> <%= command.id %> 42 --mode pauses --min-pause 4',
    '<%= config.bin %> <%= command.id %> 42 --threshold -35.5 --padding-before 2 --padding-after 2',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    ...trimFlags,
    'dry-run': Flags.boolean({ summary: 'Print the cut plan; write nothing.' }),
  }

  async run() {
    const { args, flags } = await this.parse(RecordingsProcess)
    const app = await this.app(flags)
    const run = await app.service('run')
    const input = {
      recordingIds: [args.id],
      force: ['PROCESS' as const],
      stopAfter: 'PROCESS' as const,
      dryRun: flags['dry-run'],
      runOverride: runOverrideFromFlags(flags),
    }
    // A flag out of range is named as the flag, with a hint for flags (the settings' own is for a file's keys).
    const flagHint = 'these flags set this run only; `recflow recordings process --help` gives their ranges'
    const result = await this.withProgress(
      app,
      (control) => run.run(app.localUser, input, control).catch((e: unknown) => Promise.reject(withFlagNames(e, { hint: flagHint }))),
      { plannedStages: ['DOWNLOAD', 'PROCESS'] },
    )
    this.endedBadly(runFailure(result))
    return this.present(result, runLines)
  }
}

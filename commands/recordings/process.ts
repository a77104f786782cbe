import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { runLines } from '../../src/cli/presenters/run.js'
import { runExitCode } from '../../src/cli/run-exit.js'

export default class RecordingsProcess extends BaseCommand<typeof RecordingsProcess> {
  static override summary = 'Trims silence from one recording (again, if it was trimmed before), with optional settings for this run.'
  static override description =
    'Detects silence on the audio stream, cuts the leading and trailing silence (edges, stream copy at keyframes) or also long inner pauses (pauses, re-encoded), and writes the edit list. Later stages wait for `recflow recordings run ID`.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 42',
    '<%= config.bin %> <%= command.id %> 42 --dry-run',
    '<%= config.bin %> <%= command.id %> 42 --mode pauses --min-pause 4',
    '<%= config.bin %> <%= command.id %> 42 --threshold -35 --padding-before 2 --padding-after 2',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    mode: Flags.string({ summary: 'edges: cut leading/trailing silence; pauses: also inner pauses.', options: ['edges', 'pauses'], env: 'RECFLOW_TRIM_MODE' }),
    threshold: Flags.integer({ summary: 'Silence below this level, in dB (e.g. -40).', min: -100, max: 0 }),
    'min-silence': Flags.string({ summary: 'Shortest silence that counts, in seconds.' }),
    'padding-before': Flags.string({ summary: 'Seconds of silence kept before the first speech.' }),
    'padding-after': Flags.string({ summary: 'Seconds of silence kept after the last speech.' }),
    'min-pause': Flags.string({ summary: 'pauses mode: inner silences longer than this are removed (seconds).' }),
    'dry-run': Flags.boolean({ summary: 'Print the cut plan; write nothing.' }),
  }

  async run() {
    const { args, flags } = await this.parse(RecordingsProcess)
    const app = await this.app(flags)
    const processing: Record<string, unknown> = {}
    const put = (key: string, value: unknown) => value !== undefined && (processing[key] = value)
    put('trim_mode', flags.mode)
    put('silence_threshold', flags.threshold)
    put('min_silence_duration', flags['min-silence'] === undefined ? undefined : Number(flags['min-silence']))
    put('padding_before', flags['padding-before'] === undefined ? undefined : Number(flags['padding-before']))
    put('padding_after', flags['padding-after'] === undefined ? undefined : Number(flags['padding-after']))
    put('min_pause', flags['min-pause'] === undefined ? undefined : Number(flags['min-pause']))
    const result = await this.withProgress(app, (control) =>
      app.services.run.run(
        app.localUser,
        {
          recordingIds: [args.id],
          force: ['PROCESS'],
          stopAfter: 'PROCESS',
          dryRun: flags['dry-run'],
          runOverride: Object.keys(processing).length > 0 ? { processing } : null,
        },
        control,
      ),
      { plannedStages: ['DOWNLOAD', 'PROCESS'] },
    )
    process.exitCode = runExitCode(result) || process.exitCode
    return this.present(result, runLines)
  }
}

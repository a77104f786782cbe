import { Flags } from '@oclif/core'
import { BaseCommand } from '../src/cli/base-command.js'
import { runLines } from '../src/cli/presenters/run.js'
import { runFailure } from '../src/cli/run-exit.js'
import { PIPELINE_STAGES } from '../src/ui/progress-state.js'

export default class Run extends BaseCommand<typeof Run> {
  static override summary = 'Syncs your sources, matches new recordings to templates, then processes and publishes every waiting recording.'
  static override description =
    'Each recording runs as a durable task: a crash or Ctrl-C leaves everything consistent, and the next run resumes from the first unfinished stage. A recording whose publication failed is published again; one that failed at a stage is left alone (rerun it with `recflow recordings run ID`). A recording another run is processing is waited for.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --source lectures',
    '<%= config.bin %> <%= command.id %> --recording 42 --recording 43',
    '<%= config.bin %> <%= command.id %> --dry-run',
    '<%= config.bin %> <%= command.id %> --json > result.json',
  ]
  static override flags = {
    source: Flags.string({ summary: 'Only this source (name or id; repeatable).', multiple: true }),
    recording: Flags.integer({ summary: 'Only this recording (repeatable; no sync).', multiple: true }),
    'dry-run': Flags.boolean({ summary: 'Show the cut plan for each waiting recording; write nothing, sync nothing.' }),
  }

  async run() {
    const { flags } = await this.parse(Run)
    const app = await this.app(flags)
    const sourceIds = flags.source ? await (await app.service('sources')).resolveIds(app.localUser, flags.source) : undefined
    const run = await app.service('run')
    const result = await this.withProgress(
      app,
      (control) => run.run(app.localUser, { sourceIds, recordingIds: flags.recording, dryRun: flags['dry-run'] }, control),
      { plannedStages: PIPELINE_STAGES },
    )
    this.endedBadly(runFailure(result))
    this.present(result, runLines)
    return result
  }
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { foregroundRunLines } from '../../src/cli/presenters/jobs.js'
import { runFailure } from '../../src/cli/run-exit.js'
import { PIPELINE_STAGES } from '../../src/ui/progress-state.js'

export default class JobsRun extends BaseCommand<typeof JobsRun> {
  static override summary = 'Runs an automation job now: syncs its sources, queues its new recordings, and processes them here.'
  static override description =
    "Only the recordings this run found new or changed in the job's sources, and matched to its templates, are processed (at most the job's max parallel at once; uploads as the job says). The run is recorded (recflow jobs runs ID). With --dry-run nothing is written: it lists what a run would sync, match, process and publish, with the estimated cost and YouTube quota units."
  static override examples = ['<%= config.bin %> <%= command.id %> 1', '<%= config.bin %> <%= command.id %> 1 --dry-run', '<%= config.bin %> <%= command.id %> 1 --json']
  static override args = { id: Args.integer({ required: true, description: 'Job id.' }) }
  static override flags = { 'dry-run': Flags.boolean({ summary: 'List what a run would do, with its estimated cost; write nothing.' }) }

  async run() {
    const { args, flags } = await this.parse(JobsRun)
    const app = await this.app(flags)
    const jobs = await app.service('jobs')
    // A dry run only reads: no progress view (it would end with "nothing to do" above the plan).
    const result = flags['dry-run']
      ? await jobs.runNow(app.localUser, args.id, { dryRun: true })
      : await this.withProgress(app, (control) => jobs.runNow(app.localUser, args.id, control), { plannedStages: PIPELINE_STAGES })
    if (result.run) this.endedBadly(runFailure(result.run))
    if (result.summary.status === 'failed') {
      const last = result.summary.errors.at(-1)
      this.endedBadly({
        exitCode: 1,
        error: { code: 'job_run_failed', message: `job ${result.summary.jobId} failed: ${last?.message ?? 'no reason recorded'}`, hint: `see \`recflow jobs runs ${result.summary.jobId}\`` },
      })
    }
    return this.present(result, foregroundRunLines)
  }
}

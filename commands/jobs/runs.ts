import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { pageFlags } from '../../src/cli/page-flags.js'
import { jobRunsTable } from '../../src/cli/presenters/jobs.js'
import { listCommandLine, nextPageHint } from '../../src/cli/presenters/table.js'

export default class JobsRuns extends BaseCommand<typeof JobsRuns> {
  static override summary = "Lists an automation job's recorded runs, newest first."
  static override examples = ['<%= config.bin %> <%= command.id %> 1', '<%= config.bin %> <%= command.id %> 1 --limit 10 --json']
  static override args = { id: Args.integer({ required: true, description: 'Job id.' }) }
  static override flags = { ...pageFlags }

  async run() {
    const { args, flags } = await this.parse(JobsRuns)
    const app = await this.app(flags)
    const page = await (await app.service('jobs')).runs(app.localUser, args.id, { limit: flags.limit, cursor: flags.cursor })
    const again = listCommandLine(`recflow jobs runs ${args.id}`, '', flags)
    return this.present(page, (p) => [jobRunsTable(p.job, p.items), ...nextPageHint(p.nextCursor, again)])
  }
}

import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { pageFlags } from '../../src/cli/page-flags.js'
import { jobsTable } from '../../src/cli/presenters/jobs.js'
import { flagArgs, listCommandLine, nextPageHint } from '../../src/cli/presenters/table.js'

export default class JobsList extends BaseCommand<typeof JobsList> {
  static override summary = 'Lists your automation jobs with their schedule and next run.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --active-only --json']
  static override flags = { 'active-only': Flags.boolean({ summary: 'Only active jobs.' }), ...pageFlags }

  async run() {
    const { flags } = await this.parse(JobsList)
    const app = await this.app(flags)
    const page = await (await app.service('jobs')).list(app.localUser, { activeOnly: flags['active-only'] || undefined, limit: flags.limit, cursor: flags.cursor })
    const filters = flagArgs(flags, ['active-only'])
    const again = listCommandLine('recflow jobs list', filters, flags)
    return this.present(page, (p) => [jobsTable(filters, p.items), ...nextPageHint(p.nextCursor, again)])
  }
}

import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { pageFlags } from '../../src/cli/page-flags.js'
import { sourcesTable } from '../../src/cli/presenters/resources.js'
import { flagArgs, listCommandLine, nextPageHint } from '../../src/cli/presenters/table.js'

export default class SourcesList extends BaseCommand<typeof SourcesList> {
  static override summary = 'Lists your input sources.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --active-only --json']
  static override flags = { 'active-only': Flags.boolean({ summary: 'Only active sources.' }), ...pageFlags }

  async run() {
    const { flags } = await this.parse(SourcesList)
    const app = await this.app(flags)
    const sources = await app.service('sources')
    const page = await sources.list(app.localUser, { activeOnly: flags['active-only'] || undefined, limit: flags.limit, cursor: flags.cursor })
    const filters = flagArgs(flags, ['active-only'])
    const again = listCommandLine('recflow sources list', filters, flags)
    return this.present(page, (p) => [sourcesTable(filters, p.items), ...nextPageHint(p.nextCursor, again)])
  }
}

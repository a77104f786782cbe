import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { pageFlags } from '../../src/cli/page-flags.js'
import { templatesTable } from '../../src/cli/presenters/resources.js'
import { flagArgs, listCommandLine, nextPageHint } from '../../src/cli/presenters/table.js'

export default class TemplatesList extends BaseCommand<typeof TemplatesList> {
  static override summary = 'Lists your templates in matching order (oldest first).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --no-drafts --json']
  static override flags = { drafts: Flags.boolean({ summary: 'Include drafts.', default: true, allowNo: true }), ...pageFlags }

  async run() {
    const { flags } = await this.parse(TemplatesList)
    const app = await this.app(flags)
    const templates = await app.service('templates')
    const page = await templates.list(app.localUser, { includeDrafts: flags.drafts, limit: flags.limit, cursor: flags.cursor })
    const filters = flagArgs(flags, ['drafts'], { drafts: true })
    const again = listCommandLine('recflow templates list', filters, flags)
    return this.present(page, (p) => [templatesTable(filters, p.items), ...nextPageHint(p.nextCursor, again)])
  }
}

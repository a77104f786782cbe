import { BaseCommand } from '../../src/cli/base-command.js'
import { pageFlags } from '../../src/cli/page-flags.js'
import { usersTable } from '../../src/cli/presenters/users.js'
import { listCommandLine, nextPageHint } from '../../src/cli/presenters/table.js'

export default class UsersList extends BaseCommand<typeof UsersList> {
  static override summary = 'Lists the user accounts with their role and plan (operator only).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --limit 100 --json']
  static override flags = { ...pageFlags }

  async run() {
    const { flags } = await this.parse(UsersList)
    const app = await this.app(flags)
    const page = await (await app.service('accounts')).listUsers(app.localUser, { limit: flags.limit, cursor: flags.cursor })
    const again = listCommandLine('recflow users list', '', flags)
    return this.present(page, (p) => [usersTable(p.items), ...nextPageHint(p.nextCursor, again)])
  }
}

import { BaseCommand } from '../../src/cli/base-command.js'
import { signInsTable } from '../../src/cli/presenters/auth.js'

export default class AuthStatus extends BaseCommand<typeof AuthStatus> {
  static override summary = 'Lists your sign-ins (YouTube, VK, Zoom): account, scopes, expiry, whether they refresh, and which need you to sign in again.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(AuthStatus)
    const app = await this.app(flags)
    const auth = await app.service('auth')
    return this.present(await auth.status(app.localUser), signInsTable)
  }
}

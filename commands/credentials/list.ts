import { BaseCommand } from '../../src/cli/base-command.js'
import { credentialsTable } from '../../src/cli/presenters/credentials.js'

export default class CredentialsList extends BaseCommand<typeof CredentialsList> {
  static override summary = 'Lists your credentials (never their keys).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(CredentialsList)
    const app = await this.app(flags)
    const credentials = await app.service('credentials')
    return this.present(await credentials.list(app.localUser), credentialsTable)
  }
}

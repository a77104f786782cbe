import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { checkText } from '../../src/cli/presenters/credentials.js'

export default class CredentialsTest extends BaseCommand<typeof CredentialsTest> {
  static override summary = 'Checks an API key or a sign-in with one cheap authenticated call: exit 0 ok, 4 refused, 5 unreachable.'
  static override examples = ['<%= config.bin %> <%= command.id %> 1', '<%= config.bin %> <%= command.id %> 1 --json']
  static override args = { id: Args.integer({ required: true, description: 'Credential id.' }) }

  async run() {
    const { args, flags } = await this.parse(CredentialsTest)
    const app = await this.app(flags)
    const credentials = await app.service('credentials')
    return this.present(await credentials.test(app.localUser, args.id), checkText)
  }
}

import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { credentialDetails } from '../../src/cli/presenters/credentials.js'

export default class CredentialsShow extends BaseCommand<typeof CredentialsShow> {
  static override summary = 'Shows one credential and what uses it (never its key).'
  static override examples = ['<%= config.bin %> <%= command.id %> 1', '<%= config.bin %> <%= command.id %> 1 --json']
  static override args = { id: Args.integer({ required: true, description: 'Credential id.' }) }

  async run() {
    const { args, flags } = await this.parse(CredentialsShow)
    const app = await this.app(flags)
    const credentials = await app.service('credentials')
    return this.present(await credentials.show(app.localUser, args.id), credentialDetails)
  }
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { removedText } from '../../src/cli/presenters/credentials.js'

export default class CredentialsRemove extends BaseCommand<typeof CredentialsRemove> {
  static override summary = 'Removes a credential and its key; refused while the config, templates, presets or sources use it, unless --force.'
  static override examples = ['<%= config.bin %> <%= command.id %> 1', '<%= config.bin %> <%= command.id %> 1 --force']
  static override args = { id: Args.integer({ required: true, description: 'Credential id.' }) }
  static override flags = {
    force: Flags.boolean({ summary: 'Remove it even though something uses it, detaching it from those.' }),
  }

  async run() {
    const { args, flags } = await this.parse(CredentialsRemove)
    const app = await this.app(flags)
    const credentials = await app.service('credentials')
    return this.present(await credentials.remove(app.localUser, args.id, { force: flags.force }), removedText)
  }
}

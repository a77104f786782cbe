import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class TemplatesRemove extends BaseCommand<typeof TemplatesRemove> {
  static override summary = 'Removes a template; its recordings stay, unmapped.'
  static override examples = ['<%= config.bin %> <%= command.id %> 3']
  static override args = { id: Args.integer({ required: true, description: 'Template id.' }) }

  async run() {
    const { args, flags } = await this.parse(TemplatesRemove)
    const app = await this.app(flags)
    const templates = await app.service('templates')
    return this.present(await templates.remove(app.localUser, args.id), (r) => `Removed template ${r.id}.`)
  }
}

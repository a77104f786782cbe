import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { templateDetails } from '../../src/cli/presenters/resources.js'

export default class TemplatesShow extends BaseCommand<typeof TemplatesShow> {
  static override summary = 'Shows one template with its rules and configs.'
  static override examples = ['<%= config.bin %> <%= command.id %> 3', '<%= config.bin %> <%= command.id %> 3 --json']
  static override args = { id: Args.integer({ required: true, description: 'Template id.' }) }

  async run() {
    const { args, flags } = await this.parse(TemplatesShow)
    const app = await this.app(flags)
    const templates = await app.service('templates')
    return this.present(await templates.show(app.localUser, args.id), templateDetails)
  }
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { removedText } from '../../src/cli/presenters/resources.js'

export default class TemplatesRemove extends BaseCommand<typeof TemplatesRemove> {
  static override summary = 'Removes a template; its recordings stay, unmapped. Refused while an automation job uses it, unless --force.'
  static override examples = ['<%= config.bin %> <%= command.id %> 3', '<%= config.bin %> <%= command.id %> 3 --force']
  static override args = { id: Args.integer({ required: true, description: 'Template id.' }) }
  static override flags = {
    force: Flags.boolean({ summary: 'Remove it even though automation jobs use it, taking it out of them (a job left with no template is disabled).' }),
  }

  async run() {
    const { args, flags } = await this.parse(TemplatesRemove)
    const app = await this.app(flags)
    const templates = await app.service('templates')
    return this.present(await templates.remove(app.localUser, args.id, { force: flags.force }), (r) => removedText('template', r))
  }
}

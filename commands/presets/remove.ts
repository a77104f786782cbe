import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { removedText } from '../../src/cli/presenters/resources.js'

export default class PresetsRemove extends BaseCommand<typeof PresetsRemove> {
  static override summary = 'Removes an output preset; refused while templates or recordings use it, unless --force.'
  static override examples = ['<%= config.bin %> <%= command.id %> 2', '<%= config.bin %> <%= command.id %> 2 --force']
  static override args = { id: Args.integer({ required: true, description: 'Preset id.' }) }
  static override flags = {
    force: Flags.boolean({ summary: 'Remove it even though templates or recordings use it, taking it out of those templates.' }),
  }

  async run() {
    const { args, flags } = await this.parse(PresetsRemove)
    const app = await this.app(flags)
    const presets = await app.service('presets')
    const result = await presets.remove(app.localUser, args.id, { force: flags.force })
    return this.present(result, (r) => removedText('preset', r))
  }
}

import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { presetDetails } from '../../src/cli/presenters/resources.js'

export default class PresetsShow extends BaseCommand<typeof PresetsShow> {
  static override summary = 'Shows one output preset.'
  static override examples = ['<%= config.bin %> <%= command.id %> 2', '<%= config.bin %> <%= command.id %> 2 --json']
  static override args = { id: Args.integer({ required: true, description: 'Preset id.' }) }

  async run() {
    const { args, flags } = await this.parse(PresetsShow)
    const app = await this.app(flags)
    const presets = await app.service('presets')
    return this.present(await presets.get(app.localUser, args.id), presetDetails)
  }
}

import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class PresetsRemove extends BaseCommand<typeof PresetsRemove> {
  static override summary = 'Removes an output preset.'
  static override examples = ['<%= config.bin %> <%= command.id %> 2']
  static override args = { id: Args.integer({ required: true, description: 'Preset id.' }) }

  async run() {
    const { args, flags } = await this.parse(PresetsRemove)
    const app = await this.app(flags)
    return this.present(await app.services.presets.remove(app.localUser, args.id), (r) => `Removed preset ${r.id}.`)
  }
}

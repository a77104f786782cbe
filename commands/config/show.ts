import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { flattenForDisplay } from '../../src/cli/presenters/config.js'

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static override summary = 'Shows your effective processing config (built-in defaults < your config).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --layers', '<%= config.bin %> <%= command.id %> --json']
  static override flags = {
    layers: Flags.boolean({ summary: 'Show which layer each value comes from.' }),
  }

  async run() {
    const { flags } = await this.parse(ConfigShow)
    const app = await this.app(flags)
    const config = await app.service('config')
    const result = await config.show(app.localUser, { layers: flags.layers })
    return this.present(result, (r) => flattenForDisplay(r.config, 'sources' in r ? r.sources : undefined))
  }
}

import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class ConfigUnset extends BaseCommand<typeof ConfigUnset> {
  static override summary = 'Removes one value from your config, so the built-in default applies again.'
  static override examples = ['<%= config.bin %> <%= command.id %> processing.padding_before']
  static override args = { path: Args.string({ required: true, description: 'Dotted path, e.g. processing.padding_before.' }) }

  async run() {
    const { args, flags } = await this.parse(ConfigUnset)
    const app = await this.app(flags)
    const config = await app.service('config')
    const result = await config.unset(app.localUser, args.path)
    return this.present(result, (r) => `${r.path} = ${JSON.stringify(r.value)}  (${r.source ?? 'default'})`)
  }
}

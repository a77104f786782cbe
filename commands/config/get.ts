import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class ConfigGet extends BaseCommand<typeof ConfigGet> {
  static override summary = 'Prints one config value and the layer it comes from.'
  static override examples = ['<%= config.bin %> <%= command.id %> processing.padding_before', '<%= config.bin %> <%= command.id %> subtitles.formats --json']
  static override args = { path: Args.string({ required: true, description: 'Dotted path, e.g. processing.silence_threshold.' }) }

  async run() {
    const { args, flags } = await this.parse(ConfigGet)
    const app = await this.app(flags)
    const config = await app.service('config')
    const result = await config.get(app.localUser, args.path)
    return this.present(result, (r) => `${JSON.stringify(r.value)}  (${r.source ?? 'default'})`)
  }
}

import { BaseCommand } from '../../src/cli/base-command.js'
import { flattenForDisplay } from '../../src/cli/presenters/config.js'

export default class ConfigReset extends BaseCommand<typeof ConfigReset> {
  static override summary = 'Drops your config: every value goes back to the built-in default.'
  static override examples = ['<%= config.bin %> <%= command.id %>']

  async run() {
    const { flags } = await this.parse(ConfigReset)
    const app = await this.app(flags)
    const config = await app.service('config')
    const result = await config.reset(app.localUser)
    return this.present(result, (r) => ['Config reset to the defaults:', ...flattenForDisplay(r.config)])
  }
}

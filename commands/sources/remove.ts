import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class SourcesRemove extends BaseCommand<typeof SourcesRemove> {
  static override summary = 'Removes an input source; recordings synced from it stay.'
  static override examples = ['<%= config.bin %> <%= command.id %> 1']
  static override args = { id: Args.integer({ required: true, description: 'Source id.' }) }

  async run() {
    const { args, flags } = await this.parse(SourcesRemove)
    const app = await this.app(flags)
    return this.present(await app.services.sources.remove(app.localUser, args.id), (r) => `Removed source ${r.id}.`)
  }
}

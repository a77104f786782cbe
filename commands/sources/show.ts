import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { sourceDetails } from '../../src/cli/presenters/resources.js'

export default class SourcesShow extends BaseCommand<typeof SourcesShow> {
  static override summary = 'Shows one input source.'
  static override examples = ['<%= config.bin %> <%= command.id %> 1', '<%= config.bin %> <%= command.id %> 1 --json']
  static override args = { id: Args.integer({ required: true, description: 'Source id.' }) }

  async run() {
    const { args, flags } = await this.parse(SourcesShow)
    const app = await this.app(flags)
    const sources = await app.service('sources')
    return this.present(await sources.get(app.localUser, args.id), sourceDetails)
  }
}

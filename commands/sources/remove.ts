import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { removedText } from '../../src/cli/presenters/resources.js'

export default class SourcesRemove extends BaseCommand<typeof SourcesRemove> {
  static override summary = 'Removes an input source; recordings synced from it stay. Refused while in use, unless --force.'
  static override examples = ['<%= config.bin %> <%= command.id %> 2', '<%= config.bin %> <%= command.id %> 2 --force']
  static override args = { id: Args.integer({ required: true, description: 'Source id.' }) }
  static override flags = {
    force: Flags.boolean({ summary: 'Remove it even though templates, recordings or jobs use it, taking it out of those templates and jobs.' }),
  }

  async run() {
    const { args, flags } = await this.parse(SourcesRemove)
    const app = await this.app(flags)
    const sources = await app.service('sources')
    const result = await sources.remove(app.localUser, args.id, { force: flags.force })
    return this.present(result, (r) => removedText('source', r))
  }
}

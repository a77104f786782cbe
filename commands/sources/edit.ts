import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { documentFrom, fileFlag, resolveFolderFlag, sourceFlags, sourceInputFromFlags } from '../../src/cli/resource-flags.js'
import { sourceDetails } from '../../src/cli/presenters/resources.js'
import { usageError } from '../../src/domain/errors.js'

export default class SourcesEdit extends BaseCommand<typeof SourcesEdit> {
  static override summary = 'Changes an input source (its kind stays).'
  static override examples = ['<%= config.bin %> <%= command.id %> 1 --path ~/Recordings/2026', '<%= config.bin %> <%= command.id %> 1 --no-active']
  static override args = { id: Args.integer({ required: true, description: 'Source id.' }) }
  static override flags = { file: fileFlag, name: Flags.string({ summary: 'New name.' }), ...sourceFlags }

  async run() {
    const { args, flags } = await this.parse(SourcesEdit)
    const app = await this.app(flags)
    const sources = await app.service('sources')
    const patch = documentFrom(flags.file, sourceInputFromFlags(flags, resolveFolderFlag))
    if (Object.keys(patch).length === 0) throw usageError('nothing to change', 'give at least one flag or --file; see --help')
    const source = await sources.update(app.localUser, args.id, patch, { allowMissing: flags['allow-missing'], onWarning: (m) => this.note(`warning: ${m}`) })
    return this.present(source, (s) => [`Updated source ${s.id} "${s.name}".`, sourceDetails(s)])
  }
}

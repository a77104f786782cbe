import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { documentFrom, fileFlag, templateFlags, templateInputFromFlags, withAbsoluteThumbnail } from '../../src/cli/resource-flags.js'
import { templateDetails } from '../../src/cli/presenters/resources.js'
import { usageError } from '../../src/domain/errors.js'

export default class TemplatesEdit extends BaseCommand<typeof TemplatesEdit> {
  static override summary = 'Changes a template; list flags replace the whole list, a --file is merged in.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 3 --keyword Math --keyword Algebra',
    '<%= config.bin %> <%= command.id %> 3 --no-draft',
    '<%= config.bin %> <%= command.id %> 3 --file patch.yaml',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Template id.' }) }
  static override flags = { file: fileFlag, name: Flags.string({ summary: 'New name.' }), ...templateFlags }

  async run() {
    const { args, flags } = await this.parse(TemplatesEdit)
    const app = await this.app(flags)
    const templates = await app.service('templates')
    const patch = withAbsoluteThumbnail(documentFrom(flags.file, templateInputFromFlags(flags)), flags.file)
    if (Object.keys(patch).length === 0) throw usageError('nothing to change', 'give at least one flag or --file; see --help')
    const template = await templates.update(app.localUser, args.id, patch)
    return this.present(template, (t) => [`Updated template ${t.id} "${t.name}".`, templateDetails(t)])
  }
}

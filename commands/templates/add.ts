import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { documentFrom, fileFlag, templateFlags, templateInputFromFlags, withAbsoluteThumbnail, NAME_ARGUMENT_FIELD, withFlagNames } from '../../src/cli/resource-flags.js'
import { templateDetails } from '../../src/cli/presenters/resources.js'

export default class TemplatesAdd extends BaseCommand<typeof TemplatesAdd> {
  static override summary = 'Adds a template: title rules that pick recordings, plus how to process and publish them.'
  static override description =
    'Give rules as flags or the whole template as a JSON/YAML file (--file). Patterns are RE2 regexes (no backreferences or lookaround). Among active templates the oldest match wins.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> "Distributed Systems" --keyword "Distributed Systems" --exclude-keyword test',
    '<%= config.bin %> <%= command.id %> Math --pattern "^Math(s)? [0-9]+" --preset 1',
    '<%= config.bin %> <%= command.id %> --file template.yaml',
  ]
  // ignoreStdin: oclif would fill a missing optional arg from stdin, swallowing the document of `--file -`.
  static override args = { name: Args.string({ description: 'Template name (unique); may come from --file.', ignoreStdin: true }) }
  static override flags = { file: fileFlag, ...templateFlags }

  async run() {
    const { args, flags } = await this.parse(TemplatesAdd)
    const app = await this.app(flags)
    const templates = await app.service('templates')
    const input = withAbsoluteThumbnail(documentFrom(flags.file, templateInputFromFlags({ ...flags, name: args.name })), flags.file)
    const template = await templates.create(app.localUser, input).catch((e: unknown) => {
      throw withFlagNames(e, { topFields: NAME_ARGUMENT_FIELD })
    })
    return this.present(template, (t) => [`Added template ${t.id} "${t.name}".`, templateDetails(t)])
  }
}

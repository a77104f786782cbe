import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { table } from '../../src/cli/presenters/table.js'

export default class TemplatesPreview extends BaseCommand<typeof TemplatesPreview> {
  static override summary = 'Shows which unmapped recordings a template would match now, without changing anything.'
  static override examples = ['<%= config.bin %> <%= command.id %> 3']
  static override args = { id: Args.integer({ required: true, description: 'Template id.' }) }

  async run() {
    const { args, flags } = await this.parse(TemplatesPreview)
    const app = await this.app(flags)
    const templates = await app.service('templates')
    const preview = await templates.preview(app.localUser, args.id)
    return this.present(preview, (p) => [
      `Template ${p.template.id} "${p.template.name}" would match ${p.matches.length} of ${p.considered} unmapped recording(s).`,
      ...(p.matches.length === 0
        ? []
        : [table(p.matches, [
            { header: 'recording', value: (m) => m.recordingId },
            { header: 'title', value: (m) => m.display_name, max: 60 },
            { header: 'matched by', value: (m) => m.reason },
          ])]),
    ])
  }
}

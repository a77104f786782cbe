import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { templateDetails } from '../../src/cli/presenters/resources.js'

export default class TemplatesFromRecording extends BaseCommand<typeof TemplatesFromRecording> {
  static override summary = "Creates a template that matches a recording's title (and its source), keeping its config override."
  static override examples = [
    '<%= config.bin %> <%= command.id %> 42 --name "Weekly sync"',
    '<%= config.bin %> <%= command.id %> 42 --name Math --pattern "^Math"',
  ]
  static override args = { recording: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    name: Flags.string({ required: true, summary: 'Name of the new template.' }),
    pattern: Flags.string({ summary: 'Match with this regex instead of the exact title.' }),
    source: Flags.integer({ summary: "Only recordings from this source (default: the recording's source)." }),
  }

  async run() {
    const { args, flags } = await this.parse(TemplatesFromRecording)
    const app = await this.app(flags)
    const templates = await app.service('templates')
    const template = await templates.fromRecording(app.localUser, {
      recordingId: args.recording,
      name: flags.name,
      matchPattern: flags.pattern,
      matchSourceId: flags.source,
    })
    return this.present(template, (t) => [`Added template ${t.id} "${t.name}".`, templateDetails(t)])
  }
}

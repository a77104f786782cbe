import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { recordingTopicsText } from '../../src/cli/presenters/topics.js'

export default class RecordingsTopics extends BaseCommand<typeof RecordingsTopics> {
  static override summary = "Shows a recording's topics, summary and chapters; lists and switches topic versions."
  static override description =
    'Every topic extraction (each run of EXTRACT_TOPICS) adds a version; the active one is what presets render as {summary}, {main_topics}, {topics} and {chapters}, and what chapters.vtt holds.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 42',
    '<%= config.bin %> <%= command.id %> 42 --versions',
    '<%= config.bin %> <%= command.id %> 42 --activate 1 --json',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    versions: Flags.boolean({ summary: 'List every version of the topics too.' }),
    activate: Flags.integer({ summary: 'Make this version the active one (rewrites the chapters file).', min: 1 }),
  }

  async run() {
    const { args, flags } = await this.parse(RecordingsTopics)
    const app = await this.app(flags)
    const topics = await app.service('topics')
    const result =
      flags.activate === undefined
        ? await topics.show(app.localUser, args.id, { versions: flags.versions })
        : await topics.activate(app.localUser, args.id, flags.activate)
    return this.present(result, recordingTopicsText)
  }
}

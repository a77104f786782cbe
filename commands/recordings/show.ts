import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { recordingDetails } from '../../src/cli/presenters/resources.js'

export default class RecordingsShow extends BaseCommand<typeof RecordingsShow> {
  static override summary = 'Shows one recording with its processing stages and output targets.'
  static override examples = ['<%= config.bin %> <%= command.id %> 42', '<%= config.bin %> <%= command.id %> 42 --json']
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }

  async run() {
    const { args, flags } = await this.parse(RecordingsShow)
    const app = await this.app(flags)
    const recordings = await app.service('recordings')
    return this.present(await recordings.show(app.localUser, args.id), recordingDetails)
  }
}

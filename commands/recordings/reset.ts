import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class RecordingsReset extends BaseCommand<typeof RecordingsReset> {
  static override summary = "Starts a recording over: deletes its processed files, stages and upload targets, keeps its template."
  static override description = 'The source file and anything already published stay where they are.'
  static override examples = ['<%= config.bin %> <%= command.id %> 42', '<%= config.bin %> <%= command.id %> 42 --json']
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }

  async run() {
    const { args, flags } = await this.parse(RecordingsReset)
    const app = await this.app(flags)
    const recordings = await app.service('recordings')
    const result = await recordings.reset(app.localUser, args.id)
    return this.present(result, (r) => `Recording ${r.id} is ${r.status} again (${r.removedStages} stage(s), ${r.removedTargets} target(s) removed).`)
  }
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class RecordingsReset extends BaseCommand<typeof RecordingsReset> {
  static override summary = 'Starts a recording over: deletes its processed files, stages and unpublished upload targets, keeps its template.'
  static override description =
    'The source file and anything already published stay where they are. Targets already published (a YouTube or VK video, a copy in a folder) keep their record, so the next run does not publish the recording twice; --forget-published deletes those records too, and the next run publishes again.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 42',
    '<%= config.bin %> <%= command.id %> 42 --forget-published',
    '<%= config.bin %> <%= command.id %> 42 --json',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    'forget-published': Flags.boolean({ summary: 'Also delete the records of targets already published (the next run publishes again).' }),
  }

  async run() {
    const { args, flags } = await this.parse(RecordingsReset)
    const app = await this.app(flags)
    const recordings = await app.service('recordings')
    const result = await recordings.reset(app.localUser, args.id, { forgetPublished: flags['forget-published'] })
    return this.present(result, (r) => {
      const kept = r.keptTargets > 0 ? `; ${r.keptTargets} published target(s) kept (--forget-published deletes them)` : ''
      return `Recording ${r.id} is ${r.status} again (${r.removedStages} stage(s), ${r.removedTargets} target(s) removed${kept}).`
    })
  }
}

import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { removedText } from '../../src/cli/presenters/resources.js'

export default class JobsRemove extends BaseCommand<typeof JobsRemove> {
  static override summary = 'Removes an automation job and its recorded runs; recordings it queued stay.'
  static override examples = ['<%= config.bin %> <%= command.id %> 2']
  static override args = { id: Args.integer({ required: true, description: 'Job id.' }) }

  async run() {
    const { args, flags } = await this.parse(JobsRemove)
    const app = await this.app(flags)
    const result = await (await app.service('jobs')).remove(app.localUser, args.id)
    return this.present(result, (r) => removedText('automation job', r))
  }
}

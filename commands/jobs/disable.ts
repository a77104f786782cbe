import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { jobChanged } from '../../src/cli/presenters/jobs.js'

export default class JobsDisable extends BaseCommand<typeof JobsDisable> {
  static override summary = 'Turns an automation job off: it stops running on its schedule (jobs run ID still runs it by hand).'
  static override examples = ['<%= config.bin %> <%= command.id %> 1']
  static override args = { id: Args.integer({ required: true, description: 'Job id.' }) }

  async run() {
    const { args, flags } = await this.parse(JobsDisable)
    const app = await this.app(flags)
    return this.present(await (await app.service('jobs')).disable(app.localUser, args.id), jobChanged('Disabled'))
  }
}

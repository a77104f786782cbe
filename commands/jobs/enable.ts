import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { jobChanged } from '../../src/cli/presenters/jobs.js'

export default class JobsEnable extends BaseCommand<typeof JobsEnable> {
  static override summary = 'Turns an automation job on: it runs on its schedule again, from its next run time (no catch-up).'
  static override examples = ['<%= config.bin %> <%= command.id %> 1']
  static override args = { id: Args.integer({ required: true, description: 'Job id.' }) }

  async run() {
    const { args, flags } = await this.parse(JobsEnable)
    const app = await this.app(flags)
    return this.present(await (await app.service('jobs')).enable(app.localUser, args.id), jobChanged('Enabled'))
  }
}

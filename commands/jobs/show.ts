import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { jobDetails } from '../../src/cli/presenters/jobs.js'

export default class JobsShow extends BaseCommand<typeof JobsShow> {
  static override summary = "Shows an automation job and its next 5 runs, in the job's timezone and in UTC."
  static override examples = ['<%= config.bin %> <%= command.id %> 1', '<%= config.bin %> <%= command.id %> 1 --json']
  static override args = { id: Args.integer({ required: true, description: 'Job id.' }) }

  async run() {
    const { args, flags } = await this.parse(JobsShow)
    const app = await this.app(flags)
    return this.present(await (await app.service('jobs')).show(app.localUser, args.id), jobDetails)
  }
}

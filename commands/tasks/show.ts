import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { taskDetails } from '../../src/cli/presenters/tasks.js'

export default class TasksShow extends BaseCommand<typeof TasksShow> {
  static override summary = 'Shows one task: its state, progress, error or result, and its latest events.'
  static override examples = ['<%= config.bin %> <%= command.id %> 12', '<%= config.bin %> <%= command.id %> 12 --json']
  static override args = { id: Args.integer({ required: true, description: 'Task id.' }) }

  async run() {
    const { args, flags } = await this.parse(TasksShow)
    const app = await this.app(flags)
    const tasks = await app.service('tasks')
    return this.present(await tasks.get(app.localUser, args.id), taskDetails)
  }
}

import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class TasksCancel extends BaseCommand<typeof TasksCancel> {
  static override summary = 'Cancels a task: at once if it has not started, at its next heartbeat if it is running.'
  static override examples = ['<%= config.bin %> <%= command.id %> 12', '<%= config.bin %> <%= command.id %> 12 --json']
  static override args = { id: Args.integer({ required: true, description: 'Task id.' }) }

  async run() {
    const { args, flags } = await this.parse(TasksCancel)
    const app = await this.app(flags)
    const tasks = await app.service('tasks')
    const result = await tasks.cancel(app.localUser, args.id)
    return this.present(result, (r) =>
      r.outcome === 'cancelled'
        ? `Cancelled task ${r.task.id}.`
        : `Asked task ${r.task.id} to stop; its worker cancels it within seconds (follow it: recflow tasks watch ${r.task.id}).`,
    )
  }
}

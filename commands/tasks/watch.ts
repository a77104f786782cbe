import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { eventLine, taskStatusLine } from '../../src/cli/presenters/tasks.js'
import { installInterruptHandler } from '../../src/cli/progress-output.js'

export default class TasksWatch extends BaseCommand<typeof TasksWatch> {
  static override summary = 'Follows a task until it ends; exits 0 if it succeeded, 130 if cancelled, its error code if it failed.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 12',
    '<%= config.bin %> <%= command.id %> 12 --json',
    '<%= config.bin %> <%= command.id %> 12 | tee task-12.log',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Task id.' }) }
  static override flags = {
    interval: Flags.integer({ summary: 'How often to check, in milliseconds.', default: 500, min: 100, max: 60_000, env: 'RECFLOW_WATCH_INTERVAL' }),
  }

  async run() {
    const { args, flags } = await this.parse(TasksWatch)
    const app = await this.app(flags)
    const tasks = await app.service('tasks')
    const stop = new AbortController()
    // The shared handling: Ctrl-C (or SIGTERM) stops watching (exit 130, the task goes on); a second one quits at once.
    const dispose = installInterruptHandler(process, () => stop.abort())
    let lastLine = ''
    const print = (line: string) => {
      if (!this.jsonEnabled()) process.stdout.write(line + '\n')
    }
    try {
      const task = await tasks.watch(app.localUser, args.id, {
        signal: stop.signal,
        intervalMs: flags.interval,
        onUpdate: ({ task: t, events }) => {
          for (const e of events) print(eventLine(e))
          const line = taskStatusLine(t)
          if (line !== lastLine) print(line)
          lastLine = line
        },
      })
      if (task.state !== 'succeeded') throw tasks.failure(task)
      return task
    } finally {
      dispose()
    }
  }
}

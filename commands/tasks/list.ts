import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { pageFlags } from '../../src/cli/page-flags.js'
import { flagArgs, listCommandLine, nextPageHint } from '../../src/cli/presenters/table.js'
import { tasksTable } from '../../src/cli/presenters/tasks.js'

export default class TasksList extends BaseCommand<typeof TasksList> {
  static override summary = 'Lists your queued, running and finished tasks, newest first.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --state running --state pending',
    '<%= config.bin %> <%= command.id %> --type pipeline --recording 42 --json',
  ]
  static override flags = {
    state: Flags.string({
      summary: 'Only tasks in this state: pending, running, succeeded, failed or cancelled (repeatable).',
      multiple: true,
    }),
    type: Flags.string({ summary: 'Only tasks of this type, e.g. pipeline or sync.' }),
    recording: Flags.integer({ summary: 'Only tasks of this recording id.', min: 1 }),
    ...pageFlags,
  }

  async run() {
    const { flags } = await this.parse(TasksList)
    const app = await this.app(flags)
    const tasks = await app.service('tasks')
    const page = await tasks.list(app.localUser, {
      state: flags.state,
      type: flags.type,
      recordingId: flags.recording,
      limit: flags.limit,
      cursor: flags.cursor,
    })
    const filters = flagArgs(flags, ['state', 'type', 'recording'])
    const again = listCommandLine('recflow tasks list', filters, flags)
    return this.present(page, (p) => [tasksTable(filters, p.items), ...nextPageHint(p.nextCursor, again)])
  }
}

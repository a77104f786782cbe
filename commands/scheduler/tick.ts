import { BaseCommand } from '../../src/cli/base-command.js'
import { describeTick } from '../../src/cli/presenters/scheduler.js'

export default class SchedulerTick extends BaseCommand<typeof SchedulerTick> {
  static override summary = 'Runs the automation jobs that are due, once, and returns (what the crontab line runs every minute).'
  static override description =
    'Under a lock: queues a run for each due job (after downtime, only the latest missed time), runs the queued job runs and the pipelines they queue, records the tick (see `recflow cron status`). A second tick while one runs exits 0 at once and says so. The log it is appended to is rotated at 1 MB, 3 kept.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(SchedulerTick)
    const app = await this.app(flags)
    const ticker = await app.service('schedulerTick')
    // The tick's line is the progress output's summary (one stamped line per minute in the cron log).
    return this.withProgress(app, (control) => ticker.tick(control), { summary: describeTick })
  }
}

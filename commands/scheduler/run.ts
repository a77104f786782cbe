import { BaseCommand } from '../../src/cli/base-command.js'
import { describeTick } from '../../src/cli/presenters/scheduler.js'
import { isRecflowError } from '../../src/domain/errors.js'

export default class SchedulerRun extends BaseCommand<typeof SchedulerRun> {
  static override summary = 'Runs the scheduler in the foreground: a tick at the start of every minute, until Ctrl-C.'
  static override description =
    'Each tick is `recflow scheduler tick`: due jobs queued, their runs and pipelines processed. Ctrl-C stops cleanly (running tasks go back to the queue and resume later). Use it instead of `recflow cron install` where there is no cron, or beside it: the two share the tick lock.'
  static override examples = ['<%= config.bin %> <%= command.id %>']

  async run() {
    const { flags } = await this.parse(SchedulerRun)
    const app = await this.app(flags)
    const ticker = await app.service('schedulerTick')
    this.note('Scheduler running; Ctrl-C stops it.')
    try {
      return await this.withProgress(app, (control) => ticker.runForever({ ...control, onTick: (r) => this.note(describeTick(r)) }), {
        summary: (r) => `${r.ticks} tick(s)`,
      })
    } catch (e) {
      // Ctrl-C is how this command ends: a clean stop, exit 0.
      if (isRecflowError(e) && e.code === 'cancelled') return this.present({ stopped: true }, () => 'Scheduler stopped.')
      throw e
    }
  }
}

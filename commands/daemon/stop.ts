import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { describeStop } from '../../src/cli/presenters/daemon.js'
import { parseDuration } from '../../src/domain/time/duration.js'

export default class DaemonStop extends BaseCommand<typeof DaemonStop> {
  static override summary = 'Stops the daemon of this home gracefully (SIGTERM) and waits until it has exited.'
  static override description =
    'The daemon takes no new task, lets the running ones finish for its grace period, hands the rest back to the queue and exits. With nothing running it says so and exits 0; a stale pid file (a daemon that was killed) is removed.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --timeout 2m --kill']
  static override flags = {
    timeout: Flags.string({ summary: 'How long to wait for it to exit (default: its grace period + 30s).' }),
    kill: Flags.boolean({ summary: 'If it has not exited by then, end it at once (SIGKILL); its tasks go back to the queue.' }),
  }

  async run() {
    const { flags } = await this.parse(DaemonStop)
    const timeoutMs = flags.timeout === undefined ? undefined : parseDuration(flags.timeout, '--timeout')
    const app = await this.app(flags)
    const outcomes = await (await app.service('daemon')).stop({ timeoutMs, kill: flags.kill })
    return this.present({ stopped: outcomes }, (r) => describeStop(r.stopped))
  }
}

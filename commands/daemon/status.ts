import { BaseCommand } from '../../src/cli/base-command.js'
import { describeStatus } from '../../src/cli/presenters/daemon.js'

export default class DaemonStatus extends BaseCommand<typeof DaemonStatus> {
  static override summary = 'Shows whether the daemon runs: pid, URL, uptime, and the task queue of every user.'
  static override description = 'Exits 0 whether or not a daemon runs (read `running` in --json).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(DaemonStatus)
    const app = await this.app(flags)
    const status = await (await app.service('daemon')).status()
    return this.present({ running: status.daemons.some((d) => d.alive), ...status }, describeStatus)
  }
}

import { BaseCommand } from '../../src/cli/base-command.js'
import { programPaths } from '../../src/cli/program-paths.js'

export default class CronStatus extends BaseCommand<typeof CronStatus> {
  static override summary = 'Shows recflow\'s crontab block, the last scheduler tick and the next due job.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(CronStatus)
    const app = await this.app(flags)
    const status = await (await app.service('cron')).status(programPaths(this.config.root))
    return this.present(status, (s) => {
      const lines = s.block === null ? ['Not installed: your crontab has no recflow block (add it: recflow cron install).'] : ['Installed:', ...s.block.map((l) => `  ${l}`)]
      if (s.block !== null && !s.block.includes(s.expectedLine)) lines.push('The block differs from what install writes now (paths or home changed): run recflow cron install again.')
      lines.push(s.lastTick === null ? 'Last tick: never' : `Last tick: ${s.lastTick.at} (queued ${s.lastTick.queued}, ran ${s.lastTick.ran}, failed ${s.lastTick.failed})`)
      lines.push(s.nextJob === null ? 'Next due job: none (add a job: `recflow jobs add NAME --source ID --at HH:MM`)' : `Next due job: ${s.nextJob.name} (job ${s.nextJob.id}) at ${s.nextJob.nextRunAt}`)
      lines.push(`Log: ${s.log}`)
      return lines
    })
  }
}

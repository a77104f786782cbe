import { BaseCommand } from '../../src/cli/base-command.js'

export default class CronUninstall extends BaseCommand<typeof CronUninstall> {
  static override summary = 'Removes recflow\'s block from your crontab; your own lines stay as they are.'
  static override examples = ['<%= config.bin %> <%= command.id %>']

  async run() {
    const { flags } = await this.parse(CronUninstall)
    const app = await this.app(flags)
    const result = await (await app.service('cron')).uninstall()
    return this.present(result, (r) => (r.removed ? 'Removed the recflow block from your crontab.' : 'Your crontab has no recflow block; nothing to remove.'))
  }
}

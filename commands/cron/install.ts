import { BaseCommand } from '../../src/cli/base-command.js'
import { programPaths } from '../../src/cli/program-paths.js'

export default class CronInstall extends BaseCommand<typeof CronInstall> {
  static override summary = 'Adds recflow\'s block to your crontab: `recflow scheduler tick` every minute.'
  static override description =
    'One marked block (# BEGIN recflow … # END recflow) with absolute paths to node and recflow, this RECFLOW_HOME and PATH; the tick appends to its log (rotated at 1 MB, 3 kept). Installing again rewrites the block in place; your own lines are never touched.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(CronInstall)
    const app = await this.app(flags)
    const result = await (await app.service('cron')).install(programPaths(this.config.root))
    return this.present(result, (r) => [
      r.changed ? 'Installed the recflow block in your crontab:' : 'The recflow block in your crontab is already up to date:',
      `  ${r.line}`,
      `Log: ${r.log}`,
      'Check it with: recflow cron status',
    ])
  }
}

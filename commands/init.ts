import { BaseCommand } from '../src/cli/base-command.js'
import { details } from '../src/cli/presenters/table.js'

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Sets up recflow: config and data folders, the database and your local user.'
  static override description = 'Safe to run again: it creates what is missing and changes nothing else.'
  static override examples = ['<%= config.bin %> <%= command.id %>', 'RECFLOW_HOME=./lectures <%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(Init)
    const app = await this.app(flags)
    const result = {
      configDir: app.env.configDir,
      dataDir: app.env.dataDir,
      mediaDir: app.env.mediaDir,
      database: app.env.dbPath,
      schemaVersion: app.database.schemaVersion,
      user: { id: app.localUser.id, email: app.localUser.email, created: app.localUser.created },
    }
    return this.present(result, (r) => [
      r.user.created ? 'recflow is set up.' : 'recflow was already set up; nothing changed.',
      details([
        ['config', r.configDir],
        ['data', r.dataDir],
        ['media', r.mediaDir],
        ['database', `${r.database} (schema ${r.schemaVersion})`],
      ]),
      '',
      'Next: `recflow doctor` checks ffmpeg and the secret store; `recflow sources add local NAME --path DIR` adds a folder of recordings.',
    ])
  }
}

import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { rotatedKeyText } from '../../src/cli/presenters/credential-keys.js'

export default class DaemonRotateKey extends BaseCommand<typeof DaemonRotateKey> {
  static override summary = 'Makes a new credential key current: new secrets sealed in the database use it, older rows are re-sealed when read.'
  static override description =
    'The daemon seals credentials into the database with keys of their own, kept in credential-keys.json (mode 0600) in the config dir. ' +
    'Old keys stay in that file so rows sealed with them can still be read; each such row is re-sealed with the new key the next time it is read, ' +
    'or all at once with --reencrypt-now. A running daemon sees the new key at once.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --reencrypt-now --json']
  static override flags = {
    'reencrypt-now': Flags.boolean({ summary: 'Re-seal every row sealed with an older key now, instead of when each is next read.' }),
  }

  async run() {
    const { flags } = await this.parse(DaemonRotateKey)
    const app = await this.app(flags)
    const keys = await app.service('credentialKeys')
    return this.present(await keys.rotate({ reencryptNow: flags['reencrypt-now'] }), rotatedKeyText)
  }
}

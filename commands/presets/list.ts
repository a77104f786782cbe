import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { pageFlags } from '../../src/cli/page-flags.js'
import { presetsTable } from '../../src/cli/presenters/resources.js'
import { flagArgs, listCommandLine, nextPageHint } from '../../src/cli/presenters/table.js'

export default class PresetsList extends BaseCommand<typeof PresetsList> {
  static override summary = 'Lists your output presets.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --platform youtube --json']
  static override flags = {
    platform: Flags.string({ summary: 'Only this platform.', options: ['youtube', 'vk', 'local'] }),
    'active-only': Flags.boolean({ summary: 'Only active presets.' }),
    ...pageFlags,
  }

  async run() {
    const { flags } = await this.parse(PresetsList)
    const app = await this.app(flags)
    const presets = await app.service('presets')
    const page = await presets.list(app.localUser, {
      platform: flags.platform as 'youtube' | 'vk' | 'local' | undefined,
      activeOnly: flags['active-only'] || undefined,
      limit: flags.limit,
      cursor: flags.cursor,
    })
    const filters = flagArgs(flags, ['platform', 'active-only'])
    const again = listCommandLine('recflow presets list', filters, flags)
    return this.present(page, (p) => [presetsTable(filters, p.items), ...nextPageHint(p.nextCursor, again)])
  }
}

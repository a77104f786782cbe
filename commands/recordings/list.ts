import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { pageFlags } from '../../src/cli/page-flags.js'
import { recordingsTable } from '../../src/cli/presenters/resources.js'
import { flagArgs, listCommandLine, nextPageHint } from '../../src/cli/presenters/table.js'

export default class RecordingsList extends BaseCommand<typeof RecordingsList> {
  static override summary = 'Lists recordings, newest first, with filters.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --status INITIALIZED --status SKIPPED',
    '<%= config.bin %> <%= command.id %> --search algebra --from 2026-03-01 --to 2026-04-01 --json',
    '<%= config.bin %> <%= command.id %> --failed',
  ]
  static override flags = {
    status: Flags.string({ summary: 'Only this status (repeatable), e.g. INITIALIZED, SKIPPED, READY.', multiple: true }),
    failed: Flags.boolean({ summary: 'Only failed recordings (--no-failed: only healthy ones).', allowNo: true }),
    mapped: Flags.boolean({ summary: 'Only recordings with a template (--no-mapped: only unmapped).', allowNo: true }),
    template: Flags.integer({ summary: 'Only recordings of this template id.' }),
    source: Flags.integer({ summary: 'Only recordings from this source id.' }),
    search: Flags.string({ summary: 'Title contains this text (case-insensitive).' }),
    from: Flags.string({ summary: 'Started at or after this date/time (YYYY-MM-DD or ISO 8601, UTC).' }),
    to: Flags.string({ summary: 'Started before this date/time.' }),
    ...pageFlags,
  }

  async run() {
    const { flags } = await this.parse(RecordingsList)
    const app = await this.app(flags)
    const recordings = await app.service('recordings')
    const page = await recordings.list(app.localUser, {
      status: flags.status,
      failed: flags.failed,
      mapped: flags.mapped,
      templateId: flags.template,
      sourceId: flags.source,
      search: flags.search,
      from: flags.from,
      to: flags.to,
      limit: flags.limit,
      cursor: flags.cursor,
    })
    const filters = flagArgs(flags, ['status', 'failed', 'mapped', 'template', 'source', 'search', 'from', 'to'])
    const again = listCommandLine('recflow recordings list', filters, flags)
    return this.present(page, (p) => [recordingsTable(filters, p.items), ...nextPageHint(p.nextCursor, again)])
  }
}

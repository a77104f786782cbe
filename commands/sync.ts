import { Args } from '@oclif/core'
import { BaseCommand } from '../src/cli/base-command.js'
import type { SourceSyncSummary, SyncResult } from '../src/services/sync/summary.js'

export default class Sync extends BaseCommand<typeof Sync> {
  static override summary = 'Finds new, changed and vanished recordings in your sources and matches new ones to templates.'
  static override description =
    'Without arguments every active source is synced (Zoom sources are skipped for now). Re-syncing never duplicates: unchanged files are not even read, changed ones are re-read while nothing has been done with them, files that cannot be used become failed recordings with the reason.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> lectures',
    '<%= config.bin %> <%= command.id %> lectures 3 --json',
  ]
  static override strict = false
  static override args = { source: Args.string({ description: 'Source name or id (several allowed); default: every active source.' }) }

  async run(): Promise<SyncResult> {
    const { argv, flags } = await this.parse(Sync)
    const app = await this.app(flags)
    const sync = await app.service('sync')
    const result = await this.withProgress(app, (control) => sync.sync(app.localUser, { sources: argv as string[] }, control), {
      summary: (r) => (r.sources.length === 0 ? 'No active sources. Add one: recflow sources add local NAME --path DIR' : undefined),
    })
    return this.present(result, (r) => r.sources.flatMap(describeSource))
  }
}

function describeSource(s: SourceSyncSummary): string[] {
  const head = `${s.name} (source ${s.sourceId}, ${s.platform})`
  if (s.status === 'skipped') return [`${head}: skipped, ${s.message ?? ''}`]
  if (s.status === 'error') return [`${head}: not synced: ${s.error?.message ?? ''}`, ...(s.error?.hint ? [`  hint: ${s.error.hint}`] : [])]
  const lines = [
    `${head}: ${s.found} found, ${s.created} new (${s.matched} matched, ${s.skipped} without template, ${s.failed} failed), ` +
      `${s.changed} changed, ${s.unchanged} unchanged, ${s.vanished} vanished, ${s.restored} restored`,
  ]
  for (const c of s.changedAfterProcessing) lines.push(`  recording ${c.recordingId} (${c.status}): ${c.message}`)
  if (s.failed > 0) lines.push('  see the reasons with: recflow recordings list --failed')
  return lines
}

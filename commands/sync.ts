import { Args } from '@oclif/core'
import { BaseCommand } from '../src/cli/base-command.js'
import { syncFailure } from '../src/cli/run-exit.js'
import { syncOutcome } from '../src/cli/presenters/sync.js'
import type { SourceSyncSummary, SyncResult } from '../src/services/sync/summary.js'

export default class Sync extends BaseCommand<typeof Sync> {
  static override summary = 'Finds new, changed and vanished recordings in your sources and matches new ones to templates.'
  static override description =
    'Without arguments every active source is synced; a source that cannot be synced is reported, the others go on, and the command exits 5 ("4 of 5 sources synced, 1 failed: …"). New files are fingerprinted, not probed: ffprobe runs when a recording is first processed. Re-syncing never duplicates: unchanged files are not even read, changed ones are re-read while nothing has been done with them, files that cannot be used become failed recordings with the reason.'
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
    const result = await this.withProgress(app, (control) => sync.sync(app.localUser, { sources: argv as string[], keepGoing: argv.length !== 1 }, control), {
      summary: (r) => (r.sources.length === 0 ? 'No active sources. Add one: recflow sources add local NAME --path DIR' : undefined),
    })
    // A source that could not be synced (the others went on) fails the command: exit 5, and under --json the
    // error envelope with every source's summary in data. One source named alone fails with its own error (exit 4
    // for a sign-in to renew, 2 for a folder that is gone).
    const outcome = syncOutcome(result)
    this.endedBadly(syncFailure(result))
    return this.present(result, (r) => [...r.sources.flatMap(describeSource), ...(r.sources.length > 1 || outcome.failed.length > 0 ? [outcome.line] : [])])
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
  if (s.pending > 0 || s.ready > 0) {
    lines.push(`  ${s.pending} waiting for Zoom to finish processing (status PENDING_SOURCE; a later sync picks them up), ${s.ready} ready now`)
  }
  for (const c of s.changedAfterProcessing) lines.push(`  recording ${c.recordingId} (${c.status}): ${c.message}`)
  if (s.failed > 0) lines.push('  see the reasons with: recflow recordings list --failed')
  return lines
}

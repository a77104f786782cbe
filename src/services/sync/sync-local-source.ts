import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Recording, Source } from '../../db/index.js'
import { RecflowError } from '../../domain/errors.js'
import { compileNamePattern, formatZodError, localSourceConfigSchema } from '../../domain/resources/index.js'
import { listAll } from '../paging.js'
import { throwIfCancelled } from './cancellation.js'
import { ingestNewFile, refreshKnownFile, type IngestContext, type IngestOutcome } from './ingest-file.js'
import { asLocalFileMetadata, type LocalFileMetadata } from './inspect-file.js'
import { scanFolder, type ScannedFile } from './scan-folder.js'
import { emptyCounts, type SourceSyncSummary } from './summary.js'

/**
 * One local folder against the recordings already known from it (keyed by path relative to the folder).
 *
 * Vanished files: the recording's source_metadata gets `vanished_at`. A recording still INITIALIZED/SKIPPED is
 * also soft-deleted (it is nothing but a pointer to the file), marked `deleted_by_sync`; one that got further
 * stays visible, because its outputs live on without the original. A file that comes back clears the mark and
 * restores what sync deleted; a recording the user deleted stays deleted. A folder that cannot be read at all
 * fails the source before anything is marked, so an unmounted drive never "vanishes" every recording.
 */
export async function syncLocalSource(
  ctx: IngestContext & { emitProgress: (summary: SourceSyncSummary) => void },
  source: Source,
): Promise<SourceSyncSummary> {
  const config = localSourceConfigSchema.safeParse(source.config)
  if (!config.success) {
    throw new RecflowError('validation', `source "${source.name}" has an invalid config: ${formatZodError(config.error)}`, {
      hint: `fix it with \`recflow sources edit ${source.id}\``,
    })
  }
  const { path: root, glob, recursive, name_pattern } = config.data
  const namePattern = name_pattern === undefined ? undefined : compileNamePattern(name_pattern)

  const known = new Map<string, Recording>()
  for (const r of await listAll((page) => ctx.scope.recordings.list({ source_id: source.id, includeDeleted: true }, page))) {
    if (r.source_key !== null) known.set(r.source_key, r)
  }
  const metadata = new Map<number, LocalFileMetadata>()
  for (const m of await listAll((page) => ctx.scope.sourceMetadata.list({ input_source_id: source.id }, page))) {
    const meta = asLocalFileMetadata(m.metadata)
    if (meta) metadata.set(m.recording_id, meta)
  }

  const summary: SourceSyncSummary = { sourceId: source.id, name: source.name, platform: 'local', status: 'synced', ...emptyCounts() }
  const touched = new Set<number>()
  const seen = new Set<string>()
  const unreadable: string[] = []
  let lastEmitted = ''
  const emit = () => {
    const key = `${summary.found}/${summary.created}/${summary.changed}/${summary.vanished}`
    if (key !== lastEmitted) ctx.emitProgress(summary)
    lastEmitted = key
  }
  const onSkip = (relPath: string, reason: string) => {
    unreadable.push(relPath)
    ctx.warn(`${source.name}: skipped ${relPath}: ${reason}`)
  }

  for await (const file of scanFolder(root, { glob, recursive, signal: ctx.signal, onSkip })) {
    throwIfCancelled(ctx.signal)
    seen.add(file.relPath)
    summary.found++
    const recording = known.get(file.relPath)
    const outcome = recording
      ? await syncKnownFile(ctx, source, recording, file, metadata.get(recording.id), namePattern, summary, touched)
      : await ingestNewFile(ctx, { ...fileRef(source, file), ...(namePattern ? { namePattern } : {}) })
    count(ctx, summary, outcome, touched, file.relPath)
    if (outcome.kind !== 'unchanged' || summary.found % 200 === 0) emit()
  }

  for (const [key, recording] of known) {
    if (seen.has(key)) continue
    throwIfCancelled(ctx.signal)
    if (await markVanished(ctx, source, root, key, recording, metadata.get(recording.id), unreadable)) {
      summary.vanished++
      touched.add(recording.id)
    }
  }

  await ctx.scope.sources.markSynced(source.id, ctx.now())
  summary.recordings = [...touched].sort((a, b) => a - b)
  emit()
  return summary
}

function fileRef(source: Source, file: ScannedFile) {
  return { path: file.path, size: file.size, mtimeMs: file.mtimeMs, inputSourceId: source.id, sourceKey: file.relPath }
}

async function syncKnownFile(
  ctx: IngestContext,
  source: Source,
  recording: Recording,
  file: ScannedFile,
  stored: LocalFileMetadata | undefined,
  namePattern: ReturnType<typeof compileNamePattern> | undefined,
  summary: SourceSyncSummary,
  touched: Set<number>,
): Promise<IngestOutcome> {
  // Deleted by the user (not by a vanished file): their decision stands, whatever the folder holds.
  if (recording.deleted_at !== null && !stored?.deleted_by_sync) return { kind: 'unchanged', recording }
  let current = recording
  let meta = stored
  if (stored?.vanished_at !== undefined) {
    const { vanished_at: _gone, deleted_by_sync: deletedBySync, ...rest } = stored
    meta = { ...rest }
    current = await ctx.scope.transaction(async (tx) => {
      await tx.sourceMetadata.set(recording.id, { input_source_id: source.id, metadata: meta })
      return deletedBySync ? ((await tx.recordings.restore(recording.id)) ?? recording) : recording
    })
    summary.restored++
    touched.add(recording.id)
  }
  return refreshKnownFile(ctx, current, { ...fileRef(source, file), ...(namePattern ? { namePattern } : {}) }, meta)
}

function count(ctx: IngestContext, summary: SourceSyncSummary, outcome: IngestOutcome, touched: Set<number>, relPath: string): void {
  switch (outcome.kind) {
    case 'created':
      summary.created++
      touched.add(outcome.recording.id)
      if (outcome.failure !== undefined) {
        summary.failed++
        ctx.warn(withFolder(relPath, outcome.failure), outcome.recording.id)
      } else if (outcome.match) summary.matched++
      else summary.skipped++
      return
    case 'changed':
      summary.changed++
      touched.add(outcome.recording.id)
      if (outcome.failure !== undefined) {
        summary.failed++
        ctx.warn(withFolder(relPath, outcome.failure), outcome.recording.id)
      }
      return
    case 'changed-after-processing':
      summary.changed++
      touched.add(outcome.recording.id)
      summary.changedAfterProcessing.push({ recordingId: outcome.recording.id, status: outcome.recording.status, message: outcome.message })
      return
    case 'unchanged':
      summary.unchanged++
      return
    case 'gone':
      return
  }
}

/** Failure reasons name the file; a file in a subfolder also needs its folder to be found. */
function withFolder(relPath: string, reason: string): string {
  return relPath.includes('/') ? `${relPath}: ${reason}` : reason
}

async function markVanished(
  ctx: IngestContext,
  source: Source,
  root: string,
  key: string,
  recording: Recording,
  stored: LocalFileMetadata | undefined,
  unreadable: readonly string[],
): Promise<boolean> {
  if (stored?.vanished_at !== undefined) return false // already reported at an earlier sync
  if (recording.deleted_at !== null) return false // deleted by the user; nothing to report
  if (unreadable.some((dir) => key.startsWith(`${dir}/`))) return false // its folder could not be read this time
  // Still on disk but no longer selected (glob or recursive changed): not vanished, just not offered any more.
  if (await exists(path.join(root, key))) return false
  const deleteIt = recording.status === 'INITIALIZED' || recording.status === 'SKIPPED'
  const now = ctx.now()
  const metadata: LocalFileMetadata = {
    ...(stored ?? { kind: 'local_file', path: path.join(root, key), size: recording.size_bytes ?? 0, mtime: now.toISOString() }),
    vanished_at: now.toISOString(),
    ...(deleteIt ? { deleted_by_sync: true } : {}),
  }
  await ctx.scope.transaction(async (tx) => {
    await tx.sourceMetadata.set(recording.id, { input_source_id: source.id, metadata })
    if (deleteIt) await tx.recordings.markDeleted(recording.id, { at: now, expire_at: null })
  })
  ctx.warn(`${source.name}: ${key} is gone from the folder${deleteIt ? '; its recording is hidden until the file returns' : ''}`, recording.id)
  return true
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}

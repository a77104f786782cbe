import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Recording, Source, UserScope } from '../../db/index.js'
import { RecflowError } from '../../domain/errors.js'
import { compileNamePattern, formatZodError, localSourceConfigSchema } from '../../domain/resources/index.js'
import { throwIfCancelled } from './cancellation.js'
import { prepareKnownFile, prepareNewFile, type FileRef, type IngestContext, type IngestOutcome, type PreparedIngest } from './ingest-file.js'
import { asLocalFileMetadata, type LocalFileMetadata } from './inspect-file.js'
import { mapBounded } from './map-bounded.js'
import { listFolder, type ScannedFile } from './scan-folder.js'
import { emptyCounts, type SourceSyncSummary } from './summary.js'

/**
 * One local folder against the recordings already known from it (keyed by path relative to the folder).
 *
 * Vanished files: the recording's source_metadata gets `vanished_at`. A recording still INITIALIZED/SKIPPED is
 * also soft-deleted (it is nothing but a pointer to the file), marked `deleted_by_sync`; one that got further
 * stays visible, because its outputs live on without the original. A file that comes back clears the mark and
 * restores what sync deleted; a recording the user deleted stays deleted. A folder that cannot be read at all
 * fails the source before anything is marked, so an unmounted drive never "vanishes" every recording, and a file
 * that cannot be stat'ed (any error but ENOENT) is never taken for vanished either.
 *
 * Speed (a first sync of 10,000 files): the folder is listed, then taken in chunks of SYNC_CHUNK files; each
 * chunk's files are read a few at a time (a fingerprint of at most 2 MiB; ffprobe is left for the recording's
 * first processing when the file's signature is a known container, see inspect-file.ts) and its writes are one
 * transaction. Progress is reported every PROGRESS_STEP files. Cancellation stops after the chunk in hand; what
 * was written until then stays.
 */
export async function syncLocalSource(
  ctx: IngestContext & { emitProgress: (summary: SourceSyncSummary, total: number) => void },
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
  for (const r of await ctx.scope.recordings.allFromSource(source.id)) {
    if (r.source_key !== null) known.set(r.source_key, r)
  }
  const metadata = new Map<number, LocalFileMetadata>()
  for (const m of await ctx.scope.sourceMetadata.allForSource(source.id)) {
    const meta = asLocalFileMetadata(m.metadata)
    if (meta) metadata.set(m.recording_id, meta)
  }

  const summary: SourceSyncSummary = { sourceId: source.id, name: source.name, platform: 'local', status: 'synced', ...emptyCounts() }
  const touched = new Set<number>()
  const unreadable: string[] = []
  const onSkip = (relPath: string, reason: string) => {
    unreadable.push(relPath)
    ctx.warn(`${source.name}: skipped ${relPath}: ${reason}`)
  }

  // The whole listing first (a few MB for tens of thousands of files), so progress can say "N of M".
  const files = await listFolder(root, { glob, recursive, signal: ctx.signal, onSkip, sourceId: source.id })
  const seen = new Set(files.map((f) => f.relPath))
  let handled = 0
  let reported = 0
  const emit = () => ctx.emitProgress({ ...summary, found: handled }, files.length)
  emit()

  for (let at = 0; at < files.length; at += SYNC_CHUNK) {
    throwIfCancelled(ctx.signal)
    const chunk = files.slice(at, at + SYNC_CHUNK)
    const prepared = await mapBounded(chunk, READ_CONCURRENCY, (file) => {
      const recording = known.get(file.relPath)
      const ref = { ...fileRef(source, file), ...(namePattern ? { namePattern } : {}) }
      return recording ? prepareKnown(ctx, source, recording, ref, metadata.get(recording.id)) : prepareNew(ctx, ref)
    })
    throwIfCancelled(ctx.signal)
    const outcomes = await applyAll(ctx, prepared)
    outcomes.forEach(({ outcome, restored }, i) => {
      if (restored) {
        summary.restored++
        touched.add(restored)
      }
      count(ctx, summary, outcome, touched, (chunk[i] as ScannedFile).relPath)
    })
    handled += chunk.length
    if (handled - reported >= PROGRESS_STEP || handled === files.length) {
      reported = handled
      emit()
    }
  }
  summary.found = files.length

  const gone = [...known].filter(([key]) => !seen.has(key))
  const vanishing = (
    await mapBounded(gone, READ_CONCURRENCY, async ([key, recording]) =>
      (await isVanished(root, key, recording, metadata.get(recording.id), unreadable)) ? { key, recording } : undefined,
    )
  ).filter((v) => v !== undefined)
  for (let at = 0; at < vanishing.length; at += SYNC_CHUNK) {
    throwIfCancelled(ctx.signal)
    const batch = vanishing.slice(at, at + SYNC_CHUNK)
    await ctx.scope.transaction(async (tx) => {
      for (const { key, recording } of batch) await markVanished(ctx, tx, source, root, key, recording, metadata.get(recording.id))
    })
    for (const { key, recording } of batch) {
      ctx.warn(`${source.name}: ${key} is gone from the folder${hiddenWhenVanished(recording) ? '; its recording is hidden until the file returns' : ''}`, recording.id)
      summary.vanished++
      touched.add(recording.id)
    }
  }

  await ctx.scope.sources.markSynced(source.id, ctx.now())
  summary.recordings = [...touched].sort((a, b) => a - b)
  if (vanishing.length > 0) emit()
  return summary
}

/** Files read at once: fingerprints (and the rare ffprobe of a file whose first bytes name no known container). */
const READ_CONCURRENCY = 4
/**
 * Files whose writes share one transaction. Small enough that a chunk's objects die young (a 10,000-file sync
 * stays within its memory budget) and a concurrent writer waits only milliseconds for the lock.
 */
export const SYNC_CHUNK = 50
/** Files between two progress events ("2000 of 10000 synced"). */
export const PROGRESS_STEP = 500

interface Prepared {
  prepared: PreparedIngest
  /** The recording whose vanished file is back (restored when the writes are applied). */
  restores?: number
}

async function prepareNew(ctx: IngestContext, ref: FileRef): Promise<Prepared> {
  return { prepared: await prepareNewFile(ctx, ref) }
}

/** One transaction for a chunk's writes; a chunk with nothing to write (a re-sync) opens none. */
async function applyAll(ctx: IngestContext, items: Prepared[]): Promise<Array<{ outcome: IngestOutcome; restored?: number }>> {
  const settle = async (tx: UserScope | undefined) => {
    const out: Array<{ outcome: IngestOutcome; restored?: number }> = []
    for (const { prepared, restores } of items) {
      const outcome = 'outcome' in prepared ? prepared.outcome : await prepared.apply(tx as UserScope)
      out.push(restores === undefined ? { outcome } : { outcome, restored: restores })
    }
    return out
  }
  return items.some((i) => 'apply' in i.prepared) ? ctx.scope.transaction(settle) : settle(undefined)
}

function fileRef(source: Source, file: ScannedFile) {
  return { path: file.path, size: file.size, mtimeMs: file.mtimeMs, inputSourceId: source.id, sourceKey: file.relPath }
}

async function prepareKnown(
  ctx: IngestContext,
  source: Source,
  recording: Recording,
  ref: FileRef,
  stored: LocalFileMetadata | undefined,
): Promise<Prepared> {
  // Deleted by the user (not by a vanished file): their decision stands, whatever the folder holds.
  if (recording.deleted_at !== null && !stored?.deleted_by_sync) return { prepared: { outcome: { kind: 'unchanged', recording } } }
  if (stored?.vanished_at === undefined) return { prepared: await prepareKnownFile(ctx, recording, ref, stored) }
  // The file is back: clear the mark and undo what sync deleted, then bring the recording up to date.
  const { vanished_at: _gone, deleted_by_sync: deletedBySync, ...meta } = stored
  const refresh = await prepareKnownFile(ctx, recording, ref, meta)
  const apply = async (tx: UserScope): Promise<IngestOutcome> => {
    await tx.sourceMetadata.set(recording.id, { input_source_id: source.id, metadata: meta })
    const current = deletedBySync ? ((await tx.recordings.restore(recording.id)) ?? recording) : recording
    if ('apply' in refresh) return refresh.apply(tx)
    return refresh.outcome.kind === 'unchanged' ? { kind: 'unchanged', recording: current } : refresh.outcome
  }
  return { prepared: { apply }, restores: recording.id }
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

/** A vanished file's recording is hidden (soft-deleted) only while nothing has been done with it yet. */
const hiddenWhenVanished = (recording: Recording): boolean => recording.status === 'INITIALIZED' || recording.status === 'SKIPPED'

/** Whether a known file missing from the listing is really gone (IO; the write is `markVanished`). */
async function isVanished(
  root: string,
  key: string,
  recording: Recording,
  stored: LocalFileMetadata | undefined,
  unreadable: readonly string[],
): Promise<boolean> {
  if (stored?.vanished_at !== undefined) return false // already reported at an earlier sync
  if (recording.deleted_at !== null) return false // deleted by the user; nothing to report
  // It, or its folder, could not be read this time: that says nothing about whether it is there.
  if (unreadable.some((p) => key === p || key.startsWith(`${p}/`))) return false
  // Still on disk but no longer selected (glob or recursive changed): not vanished, just not offered any more.
  return !(await exists(path.join(root, key)))
}

async function markVanished(
  ctx: IngestContext,
  tx: UserScope,
  source: Source,
  root: string,
  key: string,
  recording: Recording,
  stored: LocalFileMetadata | undefined,
): Promise<void> {
  const deleteIt = hiddenWhenVanished(recording)
  const now = ctx.now()
  const metadata: LocalFileMetadata = {
    ...(stored ?? { kind: 'local_file', path: path.join(root, key), size: recording.size_bytes ?? 0, mtime: now.toISOString() }),
    vanished_at: now.toISOString(),
    ...(deleteIt ? { deleted_by_sync: true } : {}),
  }
  await tx.sourceMetadata.set(recording.id, { input_source_id: source.id, metadata })
  if (deleteIt) await tx.recordings.markDeleted(recording.id, { at: now, expire_at: null })
}

/** Only ENOENT means absent: any other error (EACCES, ELOOP, EIO) cannot tell, and a file is never vanished on a guess. */
async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

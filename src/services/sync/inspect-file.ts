import path from 'node:path'
import { RecflowError } from '../../domain/errors.js'
import { containerFromSignature, probeMedia, type MediaInfo, type MediaTools } from '../../media/index.js'
import { fingerprintWithHead, type FileFingerprint } from './fingerprint.js'

/**
 * Reading one file: fingerprint, then ffprobe. A file that is not a usable recording is not an error here but a
 * finding (`reason`), because the recording is still created and marked failed so the user sees it. Only what
 * is not the file's fault (ffprobe missing, cancellation) is thrown.
 *
 * With `deferProbe` (source sync), a file whose first bytes announce a known container is not probed: one
 * ffprobe costs ~0.1-0.2 s of CPU, which capped a first sync at a few files a second. It is recorded as
 * `deferred` and probed when the recording is first processed (`probeSyncedFile`, in the DOWNLOAD stage).
 * Empty files and files without a known signature are still judged at sync, so what is plainly not media is
 * reported at once.
 */
export type Inspection =
  | { kind: 'media'; fingerprint: FileFingerprint; info: MediaInfo }
  /** A known container by its signature; its media facts (duration, streams) are read at first processing. */
  | { kind: 'deferred'; fingerprint: FileFingerprint; container: string }
  | { kind: 'unusable'; fingerprint?: FileFingerprint; reason: string }
  /** The file disappeared between the scan and the read; the next sync will see it gone. */
  | { kind: 'gone' }

export type FingerprintReading =
  | { kind: 'read'; fingerprint: FileFingerprint; head: Buffer }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'gone' }

export async function readFingerprint(file: string): Promise<FingerprintReading> {
  try {
    return { kind: 'read', ...(await fingerprintWithHead(file)) }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { kind: 'gone' }
    return { kind: 'unreadable', reason: `cannot read ${path.basename(file)} (${code ?? (e as Error).message})` }
  }
}

export type ProbeVerdict = { kind: 'media'; info: MediaInfo } | { kind: 'unusable'; reason: string } | { kind: 'gone' }

/** ffprobe's verdict on a file as a recording: playable with sound, or why not. */
export async function probeRecordingFile(
  file: string,
  tools: () => Promise<MediaTools>,
  signal: AbortSignal | undefined,
  opts: { checkTruncation?: boolean } = {},
): Promise<ProbeVerdict> {
  let info: MediaInfo
  try {
    info = await probeMedia(await tools(), file, { signal, ...opts })
  } catch (e) {
    if (e instanceof RecflowError && e.code === 'not_found') return { kind: 'gone' }
    if (e instanceof RecflowError && e.code === 'validation') return { kind: 'unusable', reason: e.message }
    throw e
  }
  // Trimming and transcription both work on the sound; a recording without it cannot go anywhere.
  if (!info.audio) {
    return { kind: 'unusable', reason: `${path.basename(file)} has no audio stream; recflow needs sound to trim silence and to transcribe` }
  }
  return { kind: 'media', info }
}

export async function probeFile(
  file: string,
  fingerprint: FileFingerprint,
  tools: () => Promise<MediaTools>,
  signal: AbortSignal | undefined,
): Promise<Inspection> {
  const verdict = await probeRecordingFile(file, tools, signal)
  return verdict.kind === 'gone' ? verdict : { ...verdict, fingerprint }
}

/** The inspection of a file whose fingerprint was read (see the type's comment for `deferProbe`). */
export async function inspectReading(
  file: string,
  read: Extract<FingerprintReading, { kind: 'read' }>,
  tools: () => Promise<MediaTools>,
  signal: AbortSignal | undefined,
  deferProbe: boolean,
): Promise<Inspection> {
  const { fingerprint } = read
  if (fingerprint.size === 0) return { kind: 'unusable', fingerprint, reason: `${path.basename(file)} is empty (0 bytes)` }
  const container = deferProbe ? containerFromSignature(read.head) : undefined
  if (container !== undefined) return { kind: 'deferred', fingerprint, container }
  return probeFile(file, fingerprint, tools, signal)
}

export async function inspectFile(
  file: string,
  tools: () => Promise<MediaTools>,
  signal?: AbortSignal,
  opts: { deferProbe?: boolean } = {},
): Promise<Inspection> {
  const read = await readFingerprint(file)
  if (read.kind === 'gone') return read
  if (read.kind === 'unreadable') return { kind: 'unusable', reason: read.reason }
  return inspectReading(file, read, tools, signal, opts.deferProbe === true)
}

/** What source_metadata keeps about a local file (the recording's "raw payload" from its source). */
export interface LocalFileMetadata {
  kind: 'local_file'
  /** The exact path that was read. */
  path: string
  size: number
  mtime: string
  start_time_from?: string
  /** The container the file's first bytes announce, recorded by a sync that left the probe for later. */
  container?: string
  /** What ffprobe found; absent until the file is probed (at sync, or at first processing for a synced file). */
  media?: {
    format: string
    duration_s: number
    video?: { codec: string; width: number; height: number; fps?: number }
    audio?: { codec: string; channels: number; sample_rate: number }
  }
  /** Why the file is not a usable recording, when it is not. */
  problem?: string
  /** Set when the file was missing at a sync; cleared when it comes back. */
  vanished_at?: string
  /** The recording was soft-deleted because its file vanished (so a returning file restores it, a user's delete stays). */
  deleted_by_sync?: boolean
  /** The file changed after processing had started; recflow did not reprocess it. */
  changed_after_processing?: { at: string; size: number }
}

/** What is known of a file without reading it. */
export function baseMetadata(file: { path: string; size: number; mtimeMs: number }): LocalFileMetadata {
  return { kind: 'local_file', path: file.path, size: file.size, mtime: new Date(Math.trunc(file.mtimeMs)).toISOString() }
}

export function fileMetadata(
  file: { path: string; size: number; mtimeMs: number },
  inspection: Inspection,
  extra: Partial<LocalFileMetadata> = {},
): LocalFileMetadata {
  const fingerprint = inspection.kind === 'gone' ? undefined : inspection.fingerprint
  // Fresh facts about the file win over whatever `extra` carries over from an earlier sync.
  const meta: LocalFileMetadata = {
    ...extra,
    ...baseMetadata(file),
    ...(fingerprint ? { size: fingerprint.size, mtime: new Date(fingerprint.mtimeMs).toISOString() } : {}),
  }
  if (inspection.kind === 'unusable') meta.problem = inspection.reason
  if (inspection.kind === 'deferred') meta.container = inspection.container
  if (inspection.kind === 'media') meta.media = mediaFacts(inspection.info)
  return meta
}

/** What source_metadata keeps of ffprobe's findings. */
export function mediaFacts(info: MediaInfo): NonNullable<LocalFileMetadata['media']> {
  return {
    format: info.formatName,
    duration_s: info.durationS,
    ...(info.video
      ? { video: { codec: info.video.codec, width: info.video.width, height: info.video.height, ...(info.video.fps ? { fps: info.video.fps } : {}) } }
      : {}),
    ...(info.audio ? { audio: { codec: info.audio.codec, channels: info.audio.channels, sample_rate: info.audio.sampleRate } } : {}),
  }
}

/** Stored metadata back into its shape; anything unexpected counts as absent. */
export function asLocalFileMetadata(value: unknown): LocalFileMetadata | undefined {
  return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'local_file'
    ? (value as LocalFileMetadata)
    : undefined
}

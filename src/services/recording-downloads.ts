import fs from 'node:fs/promises'
import path from 'node:path'
import type { RecordingFileKind } from '../domain/resources/recording-file-kinds.js'
import type { StageType } from '../domain/status/index.js'
import type { Recording } from '../db/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { liveRecording } from './live-recording.js'
import { recordingFiles, type RecordingFiles } from './pipeline/recording-files.js'
import { inside } from './quota/storage.js'
import { missingArtefact } from './recording-transcript.js'


const TEXT: Record<Exclude<RecordingFileKind, 'video'>, { file: (f: RecordingFiles) => string; stage: StageType; what: string; type: string }> = {
  transcript: { file: (f) => f.transcriptText, stage: 'TRANSCRIBE', what: 'transcript', type: 'text/plain; charset=utf-8' },
  srt: { file: (f) => f.srt, stage: 'GENERATE_SUBTITLES', what: 'SRT subtitles', type: 'application/x-subrip; charset=utf-8' },
  vtt: { file: (f) => f.vtt, stage: 'GENERATE_SUBTITLES', what: 'WebVTT subtitles', type: 'text/vtt; charset=utf-8' },
  topics: { file: (f) => f.chapters, stage: 'EXTRACT_TOPICS', what: 'chapters file', type: 'text/vtt; charset=utf-8' },
}

const MEDIA_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
}

export interface RecordingFile {
  /** Absolute path under the recording's own media folder (never taken from the request). */
  path: string
  contentType: string
  size: number
  /** A download name: `rec_<id>_<kind><ext>`. */
  fileName: string
}

/**
 * One of a recording's artefacts as a file to stream: its transcript text, subtitles, chapters (the active topics)
 * or processed video. Only files inside the recording's folder are served; a missing one is not_found saying why.
 */
export async function recordingFile(deps: Pick<ServiceDeps, 'scopes' | 'env'>, user: UserRef, id: number, kind: RecordingFileKind): Promise<RecordingFile> {
  const scope = deps.scopes.forUser(user.id)
  const rec = await liveRecording(scope, id)
  const files = recordingFiles(deps.env.mediaDir, user.id, rec.id, path.extname(rec.original_file ?? '.mp4'))
  const source =
    kind === 'video'
      ? { file: rec.processed_file ?? files.processed, stage: 'PROCESS' as const, what: 'processed video', type: MEDIA_TYPES[path.extname(rec.processed_file ?? files.processed).toLowerCase()] ?? 'application/octet-stream' }
      : { ...TEXT[kind], file: TEXT[kind].file(files) }
  const stat = inside(source.file, files.dir) ? await fs.stat(source.file).catch(() => undefined) : undefined
  if (!stat?.isFile()) throw await missingArtefact(scope, rec.id, { ...source, subtitleFormat: kind === 'srt' || kind === 'vtt' ? kind : undefined })
  return { path: source.file, contentType: source.type, size: stat.size, fileName: `rec_${rec.id}_${kind}${path.extname(source.file)}` }
}

/** Which of a recording's files exist now (what `GET /recordings/{id}/files/{kind}` would serve). */
export async function availableFiles(env: ServiceDeps['env'], user: UserRef, rec: Recording): Promise<RecordingFileKind[]> {
  const files = recordingFiles(env.mediaDir, user.id, rec.id, path.extname(rec.original_file ?? '.mp4'))
  const paths: Array<[RecordingFileKind, string]> = [
    ...(Object.keys(TEXT) as Array<keyof typeof TEXT>).map((kind): [RecordingFileKind, string] => [kind, TEXT[kind].file(files)]),
    ['video', rec.processed_file ?? files.processed],
  ]
  const present = await Promise.all(paths.map(async ([kind, file]) => (inside(file, files.dir) && (await fs.stat(file).then((st) => st.isFile(), () => false)) ? kind : undefined)))
  return present.filter((k) => k !== undefined)
}

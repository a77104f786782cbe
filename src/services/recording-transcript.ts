import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { RecflowError, notFound, usageError } from '../domain/errors.js'
import type { Transcript } from '../domain/transcript/index.js'
import type { StageType } from '../domain/status/index.js'
import type { UserScope } from '../db/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { listAll } from './paging.js'
import { recordingFiles, type RecordingFiles } from './pipeline/recording-files.js'
import { readTranscript } from './pipeline/transcript-file.js'

/** What `recordings transcript --format` prints, and which stage writes it. */
export const TRANSCRIPT_FORMATS = ['text', 'json', 'srt', 'vtt', 'chapters'] as const
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number]

const SOURCES: Record<TranscriptFormat, { file: (f: RecordingFiles) => string; stage: StageType; what: string }> = {
  text: { file: (f) => f.transcriptText, stage: 'TRANSCRIBE', what: 'transcript' },
  json: { file: (f) => f.transcript, stage: 'TRANSCRIBE', what: 'transcript' },
  srt: { file: (f) => f.srt, stage: 'GENERATE_SUBTITLES', what: 'SRT subtitles' },
  vtt: { file: (f) => f.vtt, stage: 'GENERATE_SUBTITLES', what: 'WebVTT subtitles' },
  chapters: { file: (f) => f.chapters, stage: 'EXTRACT_TOPICS', what: 'chapters file' },
}

export interface RecordingTranscript {
  recording_id: number
  format: TranscriptFormat
  file: string
  /** The file's text; for `json`, the validated transcript document. */
  content: string | Transcript
}

/**
 * A recording's transcript, subtitles or chapters as the stages wrote them. A missing file is not_found with why
 * (the stage's skip or failure reason when it has one) and the command that makes it.
 */
export async function recordingTranscript(deps: Pick<ServiceDeps, 'scopes' | 'env'>, user: UserRef, id: number, format: string): Promise<RecordingTranscript> {
  if (!(TRANSCRIPT_FORMATS as readonly string[]).includes(format)) {
    throw usageError(`unknown format "${format}"`, `use one of ${TRANSCRIPT_FORMATS.join(', ')}`)
  }
  const fmt = format as TranscriptFormat
  const scope = deps.scopes.forUser(user.id)
  const rec = await scope.recordings.get(id)
  if (!rec) throw notFound('recording', id, 'run `recflow recordings list` to see recording ids')
  const files = recordingFiles(deps.env.mediaDir, user.id, rec.id, path.extname(rec.original_file ?? '.mp4'))
  const source = SOURCES[fmt]
  const file = source.file(files)
  try {
    const content = fmt === 'json' ? await readTranscript(files, rec.id) : await readFile(file, 'utf8')
    return { recording_id: rec.id, format: fmt, file, content }
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT' || (e instanceof RecflowError && e.code === 'not_found')
    if (!missing) throw e
    throw await missingArtefact(scope, rec.id, { stage: source.stage, what: source.what, file, subtitleFormat: fmt === 'srt' || fmt === 'vtt' ? fmt : undefined })
  }
}

/**
 * The not_found error for an artefact a stage should have written: why it is not there (the stage's skip or
 * failure reason when it has one) and the command that makes it.
 */
export async function missingArtefact(
  scope: UserScope,
  recordingId: number,
  artefact: { stage: StageType; what: string; file: string; subtitleFormat?: string },
): Promise<RecflowError> {
  const { stage, what, file } = artefact
  const stages = await listAll((page) => scope.stages.list({ recording_id: recordingId }, page))
  const row = stages.find((s) => s.stage_type === stage)
  const why =
    row?.status === 'SKIPPED' ? `: ${stage} was skipped (${row.skip_reason ?? 'no reason recorded'})`
    : row?.status === 'FAILED' ? `: ${stage} failed (${row.failed_reason ?? 'no reason recorded'})`
    : row?.status === 'COMPLETED' ? ` (${stage} completed, but ${path.basename(file)} is not there)`
    : ` yet (${stage} has not run)`
  const formats = artefact.subtitleFormat ? ` with ${artefact.subtitleFormat} in subtitles.formats` : ''
  return new RecflowError('not_found', `recording ${recordingId} has no ${what}${why}`, {
    hint: `run \`recflow recordings run ${recordingId} --force ${stage}\`${formats}`,
  })
}

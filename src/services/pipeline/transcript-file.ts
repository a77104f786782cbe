import { readFile } from 'node:fs/promises'
import { RecflowError } from '../../domain/errors.js'
import { formatZodError } from '../../domain/format-zod-error.js'
import { transcriptSchema, type Transcript } from '../../domain/transcript/index.js'
import { writeFileAtomicSync } from '../../platform/atomic-fs.js'
import type { RecordingFiles } from './recording-files.js'

/**
 * The transcript artefact on disk: `transcript.json` (validated on every read: the stages after TRANSCRIBE and
 * `recordings transcript` trust what they get) and `transcript.txt` (readable text, one paragraph per segment).
 */

const redoHint = (recordingId?: number) =>
  `run \`recflow recordings run ${recordingId ?? '<id>'} --force TRANSCRIBE\` to transcribe it again`

/** Reads and validates transcript.json; a missing or corrupt file is a RecflowError naming the file and the fix. */
export async function readTranscript(files: Pick<RecordingFiles, 'transcript'>, recordingId?: number): Promise<Transcript> {
  let raw: string
  try {
    raw = await readFile(files.transcript, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      const what = recordingId === undefined ? 'this recording' : `recording ${recordingId}`
      throw new RecflowError('not_found', `${what} has no transcript (${files.transcript} does not exist)`, { hint: redoHint(recordingId) })
    }
    throw e
  }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (e) {
    throw new RecflowError('validation', `the transcript ${files.transcript} is not valid JSON (${(e as Error).message})`, { hint: redoHint(recordingId) })
  }
  const parsed = transcriptSchema.safeParse(json)
  if (!parsed.success) {
    throw new RecflowError('validation', `the transcript ${files.transcript} is invalid: ${formatZodError(parsed.error)}`, { hint: redoHint(recordingId) })
  }
  return parsed.data
}

/** Readable text: one paragraph per segment (an empty transcript gives an empty file). */
export function transcriptText(t: Pick<Transcript, 'segments'>): string {
  const paragraphs = t.segments.map((s) => s.text.trim()).filter((s) => s !== '')
  return paragraphs.length === 0 ? '' : paragraphs.join('\n\n') + '\n'
}

/**
 * Writes transcript.txt then transcript.json, each atomically (`*.part`, fsync, rename); validated first, so a
 * bug can never leave an artefact the readers refuse. transcript.json goes last: it is what marks the pair done.
 */
export function writeTranscript(files: Pick<RecordingFiles, 'transcript' | 'transcriptText'>, transcript: Transcript): void {
  const valid = transcriptSchema.parse(transcript)
  writeFileAtomicSync(files.transcriptText, transcriptText(valid))
  writeFileAtomicSync(files.transcript, JSON.stringify(valid, null, 1) + '\n')
}

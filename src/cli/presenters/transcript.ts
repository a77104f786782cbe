import type { RecordingTranscript } from '../../services/recording-transcript.js'
import { formatDuration } from '../../domain/metadata/duration.js'

/** The file as written (json: the document, pretty-printed), without adding a trailing blank line. */
export const transcriptOutput = (r: RecordingTranscript): string[] => {
  const text = typeof r.content === 'string' ? r.content : JSON.stringify(r.content, null, 2)
  return text === '' ? [] : [text.replace(/\n$/, '')]
}

interface Flag {
  kind: string
  text: string
  start: number
  end: number
}

/**
 * `recordings show`: the spans TRANSCRIBE flagged as likely invented by the model, from its stage row
 * ("possible hallucinations (2):" then "  12:03-12:09  known outro: Thank you for watching!").
 */
export function hallucinationLines(stages: ReadonlyArray<Record<string, unknown>>): string[] {
  const row = stages.find((s) => s.stage_type === 'TRANSCRIBE' && s.status === 'COMPLETED')
  const meta = row?.stage_meta as
    | { hallucinations?: Flag[]; hallucination_count?: number }
    | null
    | undefined
  const flags = meta?.hallucinations ?? []
  if (flags.length === 0) return []
  const total = meta?.hallucination_count ?? flags.length
  return [
    `possible hallucinations in the transcript (${total}):`,
    ...flags.map((h) => `  ${formatDuration(h.start)}-${formatDuration(h.end)}  ${h.kind.replace(/_/g, ' ')}: ${h.text}`),
    ...(total > flags.length ? [`  ... and ${total - flags.length} more: recflow recordings transcript ${String(row?.recording_id)} --format json`] : []),
  ]
}

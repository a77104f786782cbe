import fs from 'node:fs'
import type { App } from '../../src/app.js'
import { forUser } from '../../src/db/index.js'
import type { Transcript } from '../../src/domain/transcript/index.js'
import { recordingFiles } from '../../src/services/pipeline/recording-files.js'
import { writeTranscript } from '../../src/services/pipeline/transcript-file.js'

const SUBJECTS = ['replicated logs', 'leader election', 'quorum reads', 'clock skew', 'snapshotting state', 'membership changes', 'failure detectors', 'exam questions']

/** A transcript of `durationS` seconds: one segment every `segmentS`, about a new subject every `durationS / subjects`. */
export function lectureTranscript(durationS: number, opts: { segmentS?: number; wordsPerSegment?: number } = {}): Transcript {
  const segmentS = opts.segmentS ?? 10
  const words: Transcript['words'] = []
  const segments: Transcript['segments'] = []
  const perSegment = opts.wordsPerSegment ?? 12
  for (let start = 0; start + 1 <= durationS; start += segmentS) {
    const subject = SUBJECTS[Math.floor((start / durationS) * SUBJECTS.length)]!
    const text = `${subject} matter because every node must agree, so we look at ${subject} again now`.split(' ').concat(Array.from({ length: Math.max(0, perSegment - 15) }, (_, i) => `detail${i}`))
    const end = Math.min(durationS, start + segmentS - 0.5)
    const step = (end - start) / text.length
    text.forEach((w, i) => words.push({ text: w, start: start + i * step, end: start + (i + 1) * step }))
    segments.push({ text: text.join(' '), start, end })
  }
  return {
    format: 'recflow.transcript', version: 1, timeline: 'processed', language: 'en', duration: durationS,
    provider: 'fireworks', model: 'whisper-v3-turbo', audio_seconds_billed: durationS, estimated_cost_usd: 0.01,
    empty: segments.length === 0, word_timestamps: true, words, segments, hallucinations: [], created_at: '2026-03-02T10:00:00.000Z',
  }
}

/**
 * A recording whose DOWNLOAD, PROCESS and TRANSCRIBE stages are COMPLETED with `transcript` written where the
 * TRANSCRIBE stage writes it, so a run starts at EXTRACT_TOPICS.
 */
export async function seedTranscribedRecording(app: App, transcript: Transcript, name = 'Distributed Systems 5') {
  const scope = forUser(app.database.db, app.localUser.id)
  const rec = await scope.recordings.create({
    display_name: name,
    start_time: '2026-03-02T09:00:00Z',
    duration: transcript.duration + 30,
    status: 'TRANSCRIBED',
    original_file: '/nonexistent/lecture.mp4',
    size_bytes: 1000,
  })
  const files = recordingFiles(app.env.mediaDir, app.localUser.id, rec.id, '.mp4')
  fs.mkdirSync(files.dir, { recursive: true })
  writeTranscript(files, transcript)
  for (const [stage, meta] of [
    ['DOWNLOAD', { source_file: '/nonexistent/lecture.mp4' }],
    ['PROCESS', { processed_file: files.processed, processed_duration: transcript.duration }],
    ['TRANSCRIBE', { words: transcript.words.length }],
  ] as const) {
    const row = await scope.stages.ensure(rec.id, stage)
    await scope.stages.update(row.id, { status: 'COMPLETED', stage_meta: meta, completed_at: new Date() })
  }
  return { rec, files, scope }
}

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import type { PartialConfig } from '../../../src/domain/config/index.js'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { forUser } from '../../../src/db/index.js'
import { mapInterval, type EditList } from '../../../src/media/edit-list.js'
import { readTranscript } from '../../../src/services/pipeline/transcript-file.js'
import { recordingFiles } from '../../../src/services/pipeline/recording-files.js'
import { startFireworksFake, FIREWORKS_TEST_KEY, fireworksError, type FireworksFake } from '../../fakes/fireworks.js'
import { makeClip, makeLecture, makeTempDir, removeDir, systemOrBundledTools, type Lecture } from '../../fixtures/media/generate.js'
import { addApiKey } from '../../support/credentials.js'
import { openTestApp } from '../../support/test-app.js'

/*
 * TRANSCRIBE against the Fireworks fake, which "hears" the uploaded audio (words spread over its non-silent
 * spans), so every time in the transcript can be checked against where the sound really is.
 */

let home: string
let app: App
let lecture: Lecture
let tones: string
let silent: string
let fake: FireworksFake
let quietFake: FireworksFake
let poolFake: FireworksFake
let credentialId: number
let quietCredentialId: number
let poolCredentialId: number

// Just over 10 minutes of 10 s "sentences" with 6 s pauses: long enough (two pieces of MIN_PARALLEL_PIECE_S) to be
// split in two for a pool of two. FLAC, not AAC: the format is not the point here, and a 10-minute AAC encode
// cost ~9 s of CPU where FLAC costs ~2 s (cold media cache); every run encodes it to Opus again anyway.
const TONES_S = 605
const TONES = Array.from({ length: 37 }, (_, i) => ({ start: 5 + i * 16, end: 15 + i * 16 }))

beforeAll(async () => {
  home = makeTempDir()
  const tools = await systemOrBundledTools()
  // One minute (six sentences, a 12 s break): the pauses re-encode of its AAC audio costs half of two minutes'.
  lecture = makeLecture(path.join(home, 'lecture'), 1)
  tones = makeClip(tools, path.join(home, 'tones.flac'), { durationS: TONES_S, tones: TONES, video: false })
  silent = makeClip(tools, path.join(home, 'silent.m4a'), { durationS: 20, tones: [], video: false })
  // The pool's fake answers slowly enough for both pieces' requests to overlap although the second one's encode
  // may finish later on a busy machine (what the fakes hear is cached, so hearing takes no time of its own).
  ;[fake, quietFake, poolFake] = await Promise.all([
    startFireworksFake({ latencyMs: 300 }),
    startFireworksFake({ onSilence: 'Thank you for watching!' }),
    startFireworksFake({ latencyMs: 900 }),
  ])
  app = await openTestApp(home)
  credentialId = await addApiKey(app, { kind: 'fireworks', apiKey: FIREWORKS_TEST_KEY, name: 'fake', baseUrl: fake.url })
  quietCredentialId = await addApiKey(app, { kind: 'fireworks', apiKey: FIREWORKS_TEST_KEY, name: 'quiet', baseUrl: quietFake.url })
  poolCredentialId = await addApiKey(app, { kind: 'fireworks', apiKey: FIREWORKS_TEST_KEY, name: 'pool', baseUrl: poolFake.url })
}, 240_000)

afterAll(async () => {
  await app?.close()
  await Promise.all([fake?.close(), quietFake?.close(), poolFake?.close()])
  removeDir(home)
})

const scope = () => forUser(app.database.db, app.localUser.id)

async function addRecording(file: string, name: string) {
  return scope().recordings.create({
    display_name: name,
    start_time: '2026-03-02T09:00:00Z',
    duration: null,
    status: 'INITIALIZED',
    original_file: file,
    size_bytes: fs.statSync(file).size,
    template_id: null,
    is_mapped: true,
  })
}

function transcription(over: Record<string, unknown> = {}, processing: Record<string, unknown> = {}): PartialConfig {
  return {
    transcription: { provider: 'fireworks', credential_id: credentialId, ...over },
    processing: { enabled: false, ...processing },
    topics: { enabled: false },
    subtitles: { enabled: false },
  } as PartialConfig
}

async function run(recordingId: number, runOverride: PartialConfig, force?: Array<'TRANSCRIBE' | 'PROCESS'>, events?: RecflowEvent[]) {
  const onEvent = events ? (e: RecflowEvent) => void events.push(e) : undefined
  return (await app.service('pipeline')).run(app.localUser, { recordingId, runOverride, stopAfter: 'TRANSCRIBE', force }, { onEvent })
}

async function stageRow(recordingId: number, type: 'TRANSCRIBE' | 'PROCESS') {
  const rows = (await scope().stages.list({ recording_id: recordingId })).items
  return rows.find((r) => r.stage_type === type)!
}

const filesOf = (recordingId: number, ext: string) => recordingFiles(path.join(home, 'data', 'media'), app.localUser.id, recordingId, ext)

/** Every word lies inside one of the spans (with a little slack for the detector's edges). */
function expectInside(words: Array<{ start: number; end: number }>, spans: Array<{ start: number; end: number }>, slack: number) {
  for (const w of words) {
    const inside = spans.some((s) => w.start >= s.start - slack && w.end <= s.end + slack)
    if (!inside) throw new Error(`word at ${w.start}-${w.end} lies outside every speech span`)
  }
}

describe('TRANSCRIBE', () => {
  it('transcribes the processed lecture: times in the processed timeline, artefacts written, pieces removed, cost estimated', async () => {
    const rec = await addRecording(lecture.m4a, 'Lecture 03 Consensus')
    const result = await run(rec.id, transcription({}, { enabled: true, trim_mode: 'pauses' }))
    expect(result.stages.find((s) => s.stage === 'TRANSCRIBE')).toMatchObject({ outcome: 'completed', message: expect.stringMatching(/ words in 1 piece \(en\)$/) })

    const files = filesOf(rec.id, '.m4a')
    const t = await readTranscript(files, rec.id)
    const proc = (await stageRow(rec.id, 'PROCESS')).stage_meta as { keep: EditList['keep']; source_duration: number; processed_duration: number }
    expect(t.duration).toBeCloseTo(proc.processed_duration, 1)
    expect(t).toMatchObject({ empty: false, provider: 'fireworks', model: 'whisper-v3-turbo', language: 'en', word_timestamps: true, timeline: 'processed' })
    // Where the truth's speech is once the pauses are cut: every word falls there.
    const edit: EditList = { source_duration: proc.source_duration, keep: proc.keep }
    const speech = lecture.truth.speech.flatMap((s) => mapInterval(edit, s))
    expect(t.words.length).toBeGreaterThan(50)
    expectInside(t.words, speech, 0.3)
    expect(t.words.at(-1)!.end).toBeLessThanOrEqual(t.duration)
    expect(fs.readFileSync(files.transcriptText, 'utf8').split('\n\n')).toHaveLength(t.segments.length)
    expect(fs.readdirSync(files.dir).filter((n) => n.startsWith('asr') || n.endsWith('.part'))).toEqual([])

    const meta = (await stageRow(rec.id, 'TRANSCRIBE')).stage_meta as Record<string, unknown>
    expect(meta).toMatchObject({ pieces: 1, audio_source: 'processed', credential_id: credentialId, empty: false, hallucinations: [] })
    expect(t.audio_seconds_billed).toBeCloseTo(proc.processed_duration, 1)
    expect(t.estimated_cost_usd).toBeCloseTo((t.audio_seconds_billed / 60) * 0.0009, 6)
    // At most 12 MB per hour of audio went out.
    expect(meta.audio_bytes_sent as number).toBeLessThanOrEqual((12e6 * t.audio_seconds_billed) / 3600)
    expect(fake.transcriptions.at(-1)).toMatchObject({ model: 'whisper-v3-turbo', fileName: expect.stringMatching(/\.ogg$/) })
    expect(fake.transcriptions.at(-1)!.fields.prompt?.[0]).toContain('Lecture 03 Consensus')

    // The same recording transcribed from the original (the processed file gone): times mapped through the
    // edit list land where the processed run put them.
    fs.rmSync((await scope().recordings.get(rec.id))!.processed_file!)
    const again = await run(rec.id, transcription({}, { enabled: true, trim_mode: 'pauses' }), ['TRANSCRIBE'])
    expect(again.stages.map((s) => [s.stage, s.outcome])).toEqual([['DOWNLOAD', 'resumed'], ['PROCESS', 'resumed'], ['TRANSCRIBE', 'completed']])
    const mapped = await readTranscript(files, rec.id)
    expect(((await stageRow(rec.id, 'TRANSCRIBE')).stage_meta as { audio_source: string }).audio_source).toBe('original')
    expect(mapped.duration).toBeCloseTo(t.duration, 2)
    expectInside(mapped.words, speech, 0.3)
    expect(Math.abs(mapped.words.length - t.words.length)).toBeLessThanOrEqual(Math.ceil(t.words.length * 0.05))
  }, 120_000)

  it('splits a long recording at silences for the pool; a piece refused for an empty balance fails the stage, the next attempt sends only that piece; stitched exactly as one piece would have been', async () => {
    const rec = await addRecording(tones, 'Long talk')
    const dir = filesOf(rec.id, '.flac').dir
    const before = fake.transcriptions.length
    await run(rec.id, transcription({ concurrency: 1 }))
    const whole = await readTranscript(filesOf(rec.id, '.flac'), rec.id)
    expect(fake.transcriptions.length - before).toBe(1)

    // Two pieces at once: the first request is answered (after the pool fake's latency), the second, sent while
    // the first is still open, is refused for the balance.
    const route = 'POST /v1/audio/transcriptions'
    poolFake.inject(route, { delayMs: 0 }, fireworksError(402, 'Your account has insufficient balance'))
    const poolBefore = poolFake.transcriptions.length
    const err = await run(rec.id, transcription({ concurrency: 2, credential_id: poolCredentialId }), ['TRANSCRIBE']).catch((e: unknown) => e)
    expect(err).toMatchObject({ message: expect.stringContaining('insufficient balance') })
    expect((await stageRow(rec.id, 'TRANSCRIBE')).failed_reason).toContain('insufficient balance')
    expect(poolFake.peakInFlight()).toBe(2)
    expect(poolFake.transcriptions.length - poolBefore).toBe(1)
    // The other piece was answered (and paid for): its answer is kept, no audio is, and no transcript was written
    // (the one there is the whole run's).
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('asr') || n.endsWith('.part'))).toEqual([expect.stringMatching(/^asr-00[01]\.json$/)])
    expect(await readTranscript(filesOf(rec.id, '.flac'), rec.id)).toEqual(whole)

    const events: RecflowEvent[] = []
    await run(rec.id, transcription({ concurrency: 2, credential_id: poolCredentialId }), ['TRANSCRIBE'], events)
    expect(poolFake.transcriptions.length - poolBefore).toBe(2)
    // Progress moves piece by piece (the kept answer counts as its piece), up to 100.
    const progress = events.flatMap((e) => (e.type === 'progress' && e.stage === 'TRANSCRIBE' ? [e] : []))
    expect(progress.map((e) => e.message).filter((m) => m?.startsWith('piece')).sort()).toEqual(['piece 1 of 2 transcribed', 'piece 2 of 2 transcribed'])
    expect(progress.at(-1)!.percent).toBe(100)
    const split = await readTranscript(filesOf(rec.id, '.flac'), rec.id)
    const meta = (await stageRow(rec.id, 'TRANSCRIBE')).stage_meta as Record<string, unknown>
    expect(meta).toMatchObject({ pieces: 2, hard_cuts: 0, pieces_reused: 1 })
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('asr'))).toEqual([])

    expectInside(split.words, TONES, 0.3)
    // (The fake picks each file's words from the start of its vocabulary: the times are what must agree.)
    expect(split.words).toHaveLength(whole.words.length)
    split.words.forEach((w, i) => {
      expect(w.start).toBeCloseTo(whole.words[i]!.start, 1)
      expect(w.end).toBeCloseTo(whole.words[i]!.end, 1)
    })
    expect(split.audio_seconds_billed).toBeCloseTo(TONES_S, 0)
  }, 180_000)

  it('gives an empty transcript for silent audio, and marks a stock outro heard in silence as a hallucination', async () => {
    const rec = await addRecording(silent, 'Muted')
    const plain = await run(rec.id, transcription())
    expect(plain.stages.at(-1)).toMatchObject({ stage: 'TRANSCRIBE', outcome: 'completed', message: 'no speech found: empty transcript' })
    expect(await readTranscript(filesOf(rec.id, '.m4a'))).toMatchObject({ empty: true, words: [], segments: [], hallucinations: [] })
    expect(fs.readFileSync(filesOf(rec.id, '.m4a').transcriptText, 'utf8')).toBe('')

    await run(rec.id, transcription({ credential_id: quietCredentialId }), ['TRANSCRIBE'])
    const t = await readTranscript(filesOf(rec.id, '.m4a'))
    expect(t).toMatchObject({ empty: true, words: [] })
    expect(t.hallucinations).toEqual([expect.objectContaining({ kind: 'known_outro', text: 'Thank you for watching!' })])
    const meta = (await stageRow(rec.id, 'TRANSCRIBE')).stage_meta as Record<string, unknown>
    expect(meta).toMatchObject({ empty: true, hallucination_count: 1 })
  }, 60_000)

  it('completes after a 429 with Retry-After, and fails at once on a refused key with the hint to test it', async () => {
    const rec = await addRecording(silent, 'Rate limited')
    fake.inject('POST /v1/audio/transcriptions', { ...fireworksError(429, 'rate limit exceeded'), headers: { 'retry-after': '1' } })
    const ok = await run(rec.id, transcription())
    expect(ok.stages.at(-1)).toMatchObject({ stage: 'TRANSCRIBE', outcome: 'completed' })

    const bad = await addApiKey(app, { kind: 'fireworks', apiKey: 'fw-wrong-key', name: 'wrong', baseUrl: fake.url })
    const err = await run(rec.id, transcription({ credential_id: bad }), ['TRANSCRIBE']).catch((e: unknown) => e)
    expect(err).toMatchObject({ message: expect.stringMatching(/401|invalid|key/i) })
    const row = await stageRow(rec.id, 'TRANSCRIBE')
    expect(row.status).toBe('FAILED')
    expect(row.failed_reason).not.toContain('fw-wrong-key')
    expect(fs.readFileSync(path.join(home, 'data', 'recflow.db')).includes('fw-wrong-key')).toBe(false)
  }, 60_000)

  it('a cancel during the requests stops them, removes the audio pieces and leaves the stage to run again', async () => {
    const slow = await startFireworksFake({ latencyMs: 20_000 })
    try {
      const slowKey = await addApiKey(app, { kind: 'fireworks', apiKey: FIREWORKS_TEST_KEY, name: 'slow', baseUrl: slow.url })
      const rec = await addRecording(silent, 'Cancelled')
      const ac = new AbortController()
      const running = (await app.service('pipeline'))
        .run(app.localUser, { recordingId: rec.id, runOverride: transcription({ credential_id: slowKey }), stopAfter: 'TRANSCRIBE' }, { signal: ac.signal })
        .catch((e: unknown) => e)
      while (slow.transcriptions.length === 0) await new Promise((r) => setTimeout(r, 50))
      const t0 = Date.now()
      ac.abort()
      expect(await running).toMatchObject({ code: 'cancelled' })
      expect(Date.now() - t0).toBeLessThan(5000)
      expect((await stageRow(rec.id, 'TRANSCRIBE')).status).toBe('PENDING')
      expect(fs.readdirSync(filesOf(rec.id, '.m4a').dir).filter((n) => n.startsWith('asr') || n.endsWith('.part'))).toEqual([])
    } finally {
      await slow.close()
    }
  }, 60_000)
})

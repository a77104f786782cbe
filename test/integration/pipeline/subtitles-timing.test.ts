import fs from 'node:fs'
import path from 'node:path'
import { parseSync, type NodeCue } from 'subtitle'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import type { PartialConfig } from '../../../src/domain/config/index.js'
import { forUser } from '../../../src/db/index.js'
import { editListSchema, mapTime } from '../../../src/media/edit-list.js'
import { recordingFiles } from '../../../src/services/pipeline/recording-files.js'
import { readTranscript } from '../../../src/services/pipeline/transcript-file.js'
import { FIREWORKS_TEST_KEY, startFireworksFake, type FireworksFake } from '../../fakes/fireworks.js'
import { makeLecture, makeTempDir, removeDir, type Lecture } from '../../fixtures/media/generate.js'
import { addApiKey } from '../../support/credentials.js'
import { openTestApp } from '../../support/test-app.js'

/*
 * Subtitles line up with the speech people hear in the processed video (issue 8, "must show"): the 2-minute
 * make-lecture.sh lecture runs through PROCESS (edges, then pauses), TRANSCRIBE against the Fireworks fake (which
 * hears the uploaded audio: words over its non-silent spans) and GENERATE_SUBTITLES; the truth's sentences are
 * mapped into the processed timeline through the edit list the process stage wrote.
 */

const TOLERANCE_S = 0.5
/** A sentence after at least this much silence (in the processed video) must open a cue of its own. */
const CLEAR_PAUSE_S = 1

let home: string
let app: App
let lecture: Lecture
let fake: FireworksFake
let credentialId: number

beforeAll(async () => {
  home = makeTempDir()
  lecture = makeLecture(path.join(home, 'lecture'), 2)
  fake = await startFireworksFake()
  app = await openTestApp(home)
  credentialId = await addApiKey(app, { kind: 'fireworks', apiKey: FIREWORKS_TEST_KEY, name: 'fake', baseUrl: fake.url })
}, 240_000)

afterAll(async () => {
  await app?.close()
  await fake?.close()
  removeDir(home)
})

const cuesIn = (file: string) =>
  parseSync(fs.readFileSync(file, 'utf8'))
    .filter((n): n is NodeCue => n.type === 'cue')
    .map((n) => ({ start: n.data.start / 1000, end: n.data.end / 1000, text: n.data.text }))

// `edges` cuts the video by stream copy at keyframes (the timeline shifts to them); `pauses` re-encodes, where the
// timing is the audio's: it runs on the lecture's audio-only copy (re-encoding the video cost ~8 s of CPU).
describe.each([
  ['edges', 'mp4'],
  ['pauses', 'm4a'],
] as const)('subtitles of a %s-trimmed lecture (%s)', (mode, ext) => {
  it('start every cue within 0.5 s of speech, open a cue at every sentence after a pause, and hold every word once', async () => {
    const scope = forUser(app.database.db, app.localUser.id)
    const rec = await scope.recordings.create({
      display_name: `Lecture ${mode}`,
      start_time: '2026-03-02T09:00:00Z',
      status: 'INITIALIZED',
      original_file: lecture[ext],
      size_bytes: fs.statSync(lecture[ext]).size,
      is_mapped: true,
    })
    const runOverride = {
      processing: { trim_mode: mode },
      transcription: { provider: 'fireworks', credential_id: credentialId },
      topics: { enabled: false },
      subtitles: { formats: ['srt', 'vtt'] },
    } as PartialConfig
    const result = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id, runOverride, stopAfter: 'GENERATE_SUBTITLES' })
    expect(result.stages.map((s) => [s.stage, s.outcome])).toContainEqual(['GENERATE_SUBTITLES', 'completed'])

    const files = recordingFiles(app.env.mediaDir, app.localUser.id, rec.id, `.${ext}`)
    const edit = editListSchema.parse(JSON.parse(fs.readFileSync(files.editList, 'utf8')))
    if (mode === 'pauses') expect(edit.keep.length).toBeGreaterThan(1)
    const speech = lecture.truth.speech.map((s) => {
      const start = mapTime(edit, s.start)
      const end = mapTime(edit, s.end)
      if (start === null || end === null) throw new Error(`the trim cut into the sentence at ${s.start} s: "${s.text}"`)
      return { start, end, text: s.text }
    })
    const cues = cuesIn(files.vtt)
    expect(cues.length).toBeGreaterThan(5)

    // No cue starts in silence: each starts while (or within 0.5 s of when) a sentence is spoken.
    const adrift = cues.filter((c) => !speech.some((s) => c.start >= s.start - TOLERANCE_S && c.start <= s.end + TOLERANCE_S))
    expect(adrift, 'cues starting away from any speech').toEqual([])

    // Every sentence that follows a clear pause is where a cue starts.
    const openers = speech.filter((s, i) => i === 0 || s.start - speech[i - 1]!.end >= CLEAR_PAUSE_S)
    expect(openers.length).toBeGreaterThanOrEqual(3)
    const missed = openers.filter((s) => !cues.some((c) => Math.abs(c.start - s.start) <= TOLERANCE_S))
    expect(missed.map((s) => `${s.start.toFixed(2)} s: ${s.text}`), 'sentences after a pause with no cue starting there').toEqual([])

    // Every transcript word, once, in order, in both files.
    const words = (await readTranscript(files)).words.map((w) => w.text.trim())
    expect(words.length).toBeGreaterThan(50)
    for (const file of [files.srt, files.vtt]) {
      expect(cuesIn(file).flatMap((c) => c.text.split(/\s+/))).toEqual(words)
    }
    expect(cuesIn(files.srt).map((c) => c.start)).toEqual(cues.map((c) => c.start))
  })
})

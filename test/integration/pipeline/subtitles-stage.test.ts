import fs from 'node:fs'
import path from 'node:path'
import { parseSync, type NodeCue } from 'subtitle'
import { describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'
import type { StageType } from '../../../src/domain/status/index.js'
import type { PipelineOptions } from '../../../src/services/pipeline/index.js'
import { recordingFiles } from '../../../src/services/pipeline/recording-files.js'
import { writeTranscript } from '../../../src/services/pipeline/transcript-file.js'
import { useTestApp } from '../../support/test-app.js'
import { sampleTranscript } from '../../support/transcripts.js'

/*
 * GENERATE_SUBTITLES and the folder publishing of captions (issue 8, items 8 and 9), in-process: a recording
 * whose earlier stages are COMPLETED, with transcript.json (and a chapters track) seeded as TRANSCRIBE and
 * EXTRACT_TOPICS write them; the run then builds the subtitles and publishes to a folder preset.
 */

const t = useTestApp()
let seq = 0

const CHAPTERS = 'WEBVTT\n\n00:00:00.000 --> 00:00:20.000\nIntro\n'

async function transcribedRecording(opts: { captions?: boolean; transcript?: ReturnType<typeof sampleTranscript> | null; topics?: boolean } = {}) {
  seq++
  const scope = forUser(t.app.database.db, t.app.localUser.id)
  const destination = path.join(t.home, `shelf-${seq}`)
  const preset = await (await t.app.service('presets')).create(t.app.localUser, {
    name: `Folder ${seq}`,
    platform: 'local',
    preset_metadata: { destination, name_template: '{display_name}', ...(opts.captions === undefined ? {} : { captions: opts.captions }) },
  })
  const template = await (await t.app.service('templates')).create(t.app.localUser, {
    name: `T ${seq}`,
    matching_rules: { exact_matches: [`Lecture ${seq}`] },
    output_config: { preset_ids: [preset.id] },
  })
  const original = path.join(t.home, `lecture-${seq}.mp4`)
  fs.writeFileSync(original, 'original media')
  const rec = await scope.recordings.create({
    display_name: `Lecture ${seq}`,
    start_time: '2026-03-02T09:00:00Z',
    duration: 20,
    status: 'TRANSCRIBED',
    original_file: original,
    template_id: template.id,
    is_mapped: true,
  })
  const files = recordingFiles(t.app.env.mediaDir, t.app.localUser.id, rec.id, '.mp4')
  fs.mkdirSync(files.dir, { recursive: true })
  fs.writeFileSync(files.processed, 'processed media')
  if (opts.transcript !== null) writeTranscript(files, opts.transcript ?? sampleTranscript())
  const topics = opts.topics ?? true
  if (topics) fs.writeFileSync(files.chapters, CHAPTERS)
  const done: Array<[StageType, Record<string, unknown>]> = [
    ['DOWNLOAD', { source_file: original }],
    ['PROCESS', { processed_file: files.processed, processed_duration: 20 }],
    ['TRANSCRIBE', { transcript_file: files.transcript }],
  ]
  if (topics) done.push(['EXTRACT_TOPICS', {}])
  for (const [stage, meta] of done) {
    const row = await scope.stages.ensure(rec.id, stage)
    await scope.stages.update(row.id, { status: 'COMPLETED', stage_meta: meta })
  }
  if (!topics) {
    const row = await scope.stages.ensure(rec.id, 'EXTRACT_TOPICS')
    await scope.stages.update(row.id, { status: 'SKIPPED', skip_reason: 'topics disabled' })
  }
  return { scope, rec, files, destination, name: `Lecture ${seq}` }
}

const run = async (recordingId: number, opts: Partial<PipelineOptions> = {}) =>
  (await t.app.service('pipeline')).run(t.app.localUser, { recordingId, ...opts })

const cuesOf = (file: string) =>
  parseSync(fs.readFileSync(file, 'utf8'))
    .filter((n): n is NodeCue => n.type === 'cue')
    .map((n) => n.data)

const stageRow = async (scope: ReturnType<typeof forUser>, recordingId: number) =>
  (await scope.stages.list({ recording_id: recordingId })).items.find((s) => s.stage_type === 'GENERATE_SUBTITLES')!

describe('GENERATE_SUBTITLES', () => {
  it('writes SRT and VTT holding every transcript word once, and publishes them with the chapters next to the video', async () => {
    const { scope, rec, files, destination, name } = await transcribedRecording()
    const result = await run(rec.id)
    expect(result.status).toBe('READY')
    const row = await stageRow(scope, rec.id)
    expect(row.status).toBe('COMPLETED')
    expect(row.stage_meta).toMatchObject({ formats: ['srt', 'vtt'], cues: 2, words: 3 })

    for (const file of [files.srt, files.vtt]) {
      const cues = cuesOf(file)
      expect(cues.map((c) => [c.start, c.text])).toEqual([
        [500, 'Hello world.'],
        [5000, 'Again.'],
      ])
    }
    expect(fs.readdirSync(destination).sort()).toEqual(
      [`${name}.chapters.vtt`, `${name}.json`, `${name}.mp4`, `${name}.srt`, `${name}.transcript.json`, `${name}.vtt`].sort(),
    )
    expect(fs.readFileSync(path.join(destination, `${name}.srt`), 'utf8')).toBe(fs.readFileSync(files.srt, 'utf8'))
    expect(fs.readFileSync(path.join(destination, `${name}.chapters.vtt`), 'utf8')).toBe(CHAPTERS)
  })

  it('writes only the configured formats and removes a format no longer configured', async () => {
    const { scope, rec, files, destination, name } = await transcribedRecording({ topics: false })
    await run(rec.id)
    expect(fs.existsSync(files.srt)).toBe(true)
    await run(rec.id, { force: ['GENERATE_SUBTITLES'], runOverride: { subtitles: { formats: ['vtt'] } } })
    expect(fs.existsSync(files.srt)).toBe(false)
    expect(cuesOf(files.vtt)).toHaveLength(2)
    expect((await stageRow(scope, rec.id)).stage_meta).toMatchObject({ formats: ['vtt'], files: { vtt: files.vtt } })
    // The forced republish replaced the target's own files: no .srt, and no chapters (topics were skipped).
    expect(fs.readdirSync(destination).sort()).toEqual([`${name}.json`, `${name}.mp4`, `${name}.transcript.json`, `${name}.vtt`].sort())
  })

  it('gives an empty transcript valid empty files, not a failure', async () => {
    const { scope, rec, files } = await transcribedRecording({ transcript: sampleTranscript({ empty: true, words: [], segments: [] }) })
    const result = await run(rec.id)
    expect(result.failed).toBe(false)
    const row = await stageRow(scope, rec.id)
    expect(row.status).toBe('COMPLETED')
    expect(result.stages.find((s) => s.stage === 'GENERATE_SUBTITLES')?.message).toMatch(/^no speech: empty subtitles/)
    expect(fs.readFileSync(files.srt, 'utf8')).toBe('')
    expect(fs.readFileSync(files.vtt, 'utf8')).toBe('WEBVTT\n')
    expect(cuesOf(files.srt)).toEqual([])
    expect(cuesOf(files.vtt)).toEqual([])
  })

  it('fails with the command to transcribe again when transcript.json is missing', async () => {
    const { scope, rec } = await transcribedRecording({ transcript: null })
    await expect(run(rec.id)).rejects.toMatchObject({ code: 'not_found', hint: expect.stringContaining(`recflow recordings run ${rec.id} --force TRANSCRIBE`) })
    const row = await stageRow(scope, rec.id)
    expect(row.status).toBe('FAILED')
  })

  it('is skipped when subtitles are disabled, and a folder preset then copies no subtitle file', async () => {
    const { rec, files, destination, name } = await transcribedRecording({ topics: false })
    fs.writeFileSync(files.srt, 'stale subtitles of an earlier run')
    const result = await run(rec.id, { runOverride: { subtitles: { enabled: false } } })
    expect(result.stages.find((s) => s.stage === 'GENERATE_SUBTITLES')).toMatchObject({ outcome: 'skipped' })
    expect(fs.readdirSync(destination)).not.toContain(`${name}.srt`)
  })
})

describe('folder publishing with captions off', () => {
  it('leaves the subtitles and the chapters out, and still publishes the video', async () => {
    const { rec, destination, name } = await transcribedRecording({ captions: false })
    const result = await run(rec.id)
    expect(result.status).toBe('READY')
    expect(fs.readdirSync(destination).sort()).toEqual([`${name}.json`, `${name}.mp4`, `${name}.transcript.json`].sort())
  })

  it('takes the captions it published before back out when the preset turns them off, and nothing else', async () => {
    const { scope, rec, destination, name } = await transcribedRecording()
    await run(rec.id)
    expect(fs.readdirSync(destination)).toContain(`${name}.srt`)
    fs.writeFileSync(path.join(destination, `${name}.notes.txt`), 'my own notes')
    const presetId = (await scope.targets.list({ recording_id: rec.id })).items[0]!.preset_id!
    await (await t.app.service('presets')).update(t.app.localUser, presetId, { preset_metadata: { captions: false } })
    await run(rec.id, { force: ['UPLOAD'] })
    expect(fs.readdirSync(destination).sort()).toEqual([`${name}.json`, `${name}.mp4`, `${name}.notes.txt`, `${name}.transcript.json`].sort())
  })
})

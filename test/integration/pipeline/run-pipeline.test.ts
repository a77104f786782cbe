import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App, type Services } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

let home: string
let app: App
let clip: string
let audioOnly: string
let outDir: string

const runPipeline: Services['pipeline']['run'] = async (...args) => (await app.service('pipeline')).run(...args)

beforeAll(async () => {
  home = makeTempDir()
  outDir = path.join(home, 'published')
  const tools = await systemOrBundledTools()
  // 8 s of silence, 10 s of "speech", 8 s of silence: edges trimming keeps 3..23 s with 5 s padding.
  clip = makeClip(tools, path.join(home, 'lecture.mp4'), { durationS: 26, tones: [{ start: 8, end: 18 }] })
  audioOnly = makeClip(tools, path.join(home, 'talk.m4a'), { durationS: 26, tones: [{ start: 8, end: 18 }], video: false })
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
}, 60_000)

afterAll(async () => {
  await app?.close()
  removeDir(home)
})

async function seedRecording(file: string, name: string) {
  const scope = forUser(app.database.db, app.localUser.id)
  const preset = await (await app.service('presets')).create(app.localUser, {
    name: `Folder ${name}`,
    platform: 'local',
    preset_metadata: { destination: outDir, name_template: '{start_time:YYYY-MM-DD} {display_name}', title_template: '{display_name} ({date})' },
  })
  const template = await (await app.service('templates')).create(app.localUser, {
    name: `T ${name}`,
    matching_rules: { exact_matches: [name] },
    output_config: { preset_ids: [preset.id] },
  })
  const rec = await scope.recordings.create({
    display_name: name,
    start_time: '2026-03-02T09:00:00Z',
    duration: 26,
    status: 'INITIALIZED',
    original_file: file,
    size_bytes: fs.statSync(file).size,
    template_id: template.id,
    is_mapped: true,
  })
  return { scope, rec, preset }
}

describe('runPipeline', () => {
  it('trims, skips unconfigured stages with a reason, publishes to the folder and reaches READY', async () => {
    const { scope, rec } = await seedRecording(clip, 'Lecture one')
    const events: RecflowEvent[] = []
    const result = await runPipeline(app.localUser, { recordingId: rec.id }, { onEvent: (e) => events.push(e) })

    expect(result.status).toBe('READY')
    expect(result.failed).toBe(false)
    const stages = (await scope.stages.list({ recording_id: rec.id })).items
    const byType = Object.fromEntries(stages.map((s) => [s.stage_type, s]))
    expect(byType.DOWNLOAD!.status).toBe('COMPLETED')
    expect(byType.PROCESS!.status).toBe('COMPLETED')
    expect(byType.TRANSCRIBE!.status).toBe('SKIPPED')
    expect(byType.TRANSCRIBE!.skip_reason).toMatch(/^no transcription provider configured: run `recflow credentials add fireworks`/)
    expect(byType.EXTRACT_TOPICS!.status).toBe('SKIPPED')
    expect(byType.GENERATE_SUBTITLES!.status).toBe('SKIPPED')

    const meta = byType.PROCESS!.stage_meta as { processed_file: string; processed_duration: number; keep: Array<{ start: number; end: number }> }
    expect(meta.processed_file.startsWith(path.join(home, 'data', 'media', `user_${app.localUser.id}`, `rec_${rec.id}`))).toBe(true)
    expect(meta.processed_duration).toBeGreaterThan(18)
    expect(meta.processed_duration).toBeLessThan(22.5)
    expect(fs.existsSync(path.join(path.dirname(meta.processed_file), 'edit-list.json'))).toBe(true)

    const published = fs.readdirSync(outDir).filter((f) => f.startsWith('2026-03-02 Lecture one'))
    expect(published.sort()).toEqual(['2026-03-02 Lecture one.jpg', '2026-03-02 Lecture one.json', '2026-03-02 Lecture one.mp4'])
    const metadata = JSON.parse(fs.readFileSync(path.join(outDir, '2026-03-02 Lecture one.json'), 'utf8'))
    expect(metadata.title).toBe('Lecture one (02.03.2026)')
    expect(fs.readdirSync(outDir).some((f) => f.endsWith('.part'))).toBe(false)

    const stored = await scope.recordings.get(rec.id)
    expect(stored!.status).toBe('READY')
    expect(stored!.processed_file).toBe(meta.processed_file)
    expect(events.some((e) => e.type === 'progress' && e.stage === 'PROCESS')).toBe(true)
    // The storage quota follows what the stages wrote into the recording's folder (the source file stays outside).
    const dir = path.dirname(meta.processed_file)
    expect(await scope.quota.storedBytes()).toBe(fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0))
  })

  it('resumes without redoing finished stages, and --force PROCESS redoes it and what follows', async () => {
    const { scope, rec } = await seedRecording(clip, 'Lecture two')
    await runPipeline(app.localUser, { recordingId: rec.id })
    const firstMeta = (await scope.stages.list({ recording_id: rec.id })).items.find((s) => s.stage_type === 'PROCESS')!
    const again = await runPipeline(app.localUser, { recordingId: rec.id })
    expect(again.stages.every((s) => s.outcome === 'resumed')).toBe(true)
    expect(fs.readdirSync(outDir).filter((f) => f.startsWith('2026-03-02 Lecture two')).length).toBe(3)

    const forced = await runPipeline(app.localUser, { recordingId: rec.id, force: ['PROCESS'] })
    expect(forced.stages.find((s) => s.stage === 'DOWNLOAD')!.outcome).toBe('resumed')
    expect(forced.stages.find((s) => s.stage === 'PROCESS')!.outcome).toBe('completed')
    const after = (await scope.stages.list({ recording_id: rec.id })).items.find((s) => s.stage_type === 'PROCESS')!
    expect(after.attempts).toBe(firstMeta.attempts + 1)
    // Republishing reuses the planned name: no "(2)" duplicate.
    expect(fs.readdirSync(outDir).filter((f) => f.startsWith('2026-03-02 Lecture two')).sort()).toEqual([
      '2026-03-02 Lecture two.jpg', '2026-03-02 Lecture two.json', '2026-03-02 Lecture two.mp4',
    ])
  })

  it('keeps audio-only recordings audio-only', async () => {
    const { scope, rec } = await seedRecording(audioOnly, 'Talk')
    const result = await runPipeline(app.localUser, { recordingId: rec.id })
    expect(result.status).toBe('READY')
    const meta = (await scope.stages.list({ recording_id: rec.id })).items.find((s) => s.stage_type === 'PROCESS')!.stage_meta as Record<string, unknown>
    expect(String(meta.processed_file)).toMatch(/\.m4a$/)
    expect(meta.poster_file).toBeNull()
  })

  it('plans a dry run without writing a row or a file', async () => {
    const { scope, rec } = await seedRecording(clip, 'Dry')
    const before = fs.readdirSync(outDir).length
    const result = await runPipeline(app.localUser, { recordingId: rec.id, dryRun: true })
    expect(result.dryRun).toBe(true)
    expect(result.stages.find((s) => s.stage === 'PROCESS')!.outcome).toBe('planned')
    expect((await scope.stages.list({ recording_id: rec.id })).items).toEqual([])
    expect(fs.existsSync(path.join(home, 'data', 'media', `user_${app.localUser.id}`, `rec_${rec.id}`))).toBe(false)
    expect(fs.readdirSync(outDir).length).toBe(before)
    expect((await scope.recordings.get(rec.id))!.status).toBe('INITIALIZED')
  })

  it('marks the recording failed with the reason when its file is not media, and touches nothing else', async () => {
    const bogus = path.join(home, 'notes.mp4')
    fs.writeFileSync(bogus, 'this is not a video')
    const { scope, rec } = await seedRecording(bogus, 'Bogus')
    await expect(runPipeline(app.localUser, { recordingId: rec.id })).rejects.toThrow()
    const stored = await scope.recordings.get(rec.id)
    expect(stored!.failed).toBe(true)
    expect(stored!.failed_stage).toBe('PROCESS')
    expect(stored!.failed_reason).toBeTruthy()
    expect(stored!.status).toBe('DOWNLOADED')
    expect(fs.readFileSync(bogus, 'utf8')).toBe('this is not a video')
  })

  it('cancels cleanly: the stage returns to PENDING and no .part file is left', async () => {
    const { scope, rec } = await seedRecording(clip, 'Cancelled')
    const controller = new AbortController()
    const run = runPipeline(app.localUser, { recordingId: rec.id }, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'stage-started' && e.stage === 'PROCESS') controller.abort()
      },
    })
    await expect(run).rejects.toMatchObject({ code: 'cancelled' })
    const stage = (await scope.stages.list({ recording_id: rec.id })).items.find((s) => s.stage_type === 'PROCESS')!
    expect(stage.status).toBe('PENDING')
    const dir = path.join(home, 'data', 'media', `user_${app.localUser.id}`, `rec_${rec.id}`)
    const leftovers = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.part')) : []
    expect(leftovers).toEqual([])
    expect((await scope.recordings.get(rec.id))!.failed).toBe(false)
  })
})

import fs from 'node:fs'
import path from 'node:path'
import { parseSync } from 'subtitle'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { chatFaults, startChatFake, type ChatFake } from '../../fakes/chat.js'
import { addApiKey } from '../../support/credentials.js'
import { lectureTranscript, seedTranscribedRecording } from '../../support/seed-transcript.js'
import { openTestApp } from '../../support/test-app.js'

const KEY = 'sk-topics-test-9f8e7d6c5b4a'
let home: string
let app: App
let fake: ChatFake
let credentialId: number

beforeAll(async () => {
  fake = await startChatFake({ keys: [KEY], extraModels: ['tiny-context-model'] })
  home = makeTempDir()
  app = await openTestApp(home, { RECFLOW_LLM_URL: fake.url })
  credentialId = await addApiKey(app, { kind: 'deepseek', apiKey: KEY })
})
afterAll(async () => {
  await app?.close()
  await fake?.close()
  if (home) removeDir(home)
})

const run = async (recordingId: number, runOverride: Record<string, unknown> | null = null) =>
  (await app.service('pipeline')).run(app.localUser, { recordingId, force: ['EXTRACT_TOPICS'], stopAfter: 'EXTRACT_TOPICS', runOverride: runOverride as never })
const stageOf = async (scope: Awaited<ReturnType<typeof seedTranscribedRecording>>['scope'], recordingId: number) =>
  (await scope.stages.list({ recording_id: recordingId })).items.find((s) => s.stage_type === 'EXTRACT_TOPICS')!
const cues = (file: string) => parseSync(fs.readFileSync(file, 'utf8')).filter((n) => n.type === 'cue').map((n) => n.data as { start: number; end: number; text: string })

describe('EXTRACT_TOPICS', () => {
  it('extracts topics from the transcript into an active topic set and a WebVTT chapters file', async () => {
    const { rec, files, scope } = await seedTranscribedRecording(app, lectureTranscript(3600))
    const before = fake.completions().length
    const result = await run(rec.id)
    expect(result.stages.find((s) => s.stage === 'EXTRACT_TOPICS')).toMatchObject({ outcome: 'completed' })

    const sent = fake.completions().slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ model: 'deepseek-v4-flash', response_format: { type: 'json_object' } })
    expect(sent[0]!.messages[0]!.content).toMatch(/9 to 15 topics/) // an hour at the default granularity (long)
    expect(sent[0]!.messages[1]!.content).toContain('[450] leader election') // a new subject every 450 s

    const set = await scope.topicSets.active(rec.id)
    expect(set).toMatchObject({ version: 1, provider: 'deepseek', model: 'deepseek-v4-flash', granularity: 'long' })
    const topics = set!.topics as Array<{ title: string; start: number }>
    expect(topics.length).toBeGreaterThanOrEqual(9)
    expect(topics.map((t) => t.start)).toEqual([...topics.map((t) => t.start)].sort((a, b) => a - b))

    const chapters = cues(files.chapters)
    expect(chapters.length).toBe(topics.length)
    expect(chapters[0]!.start).toBe(0)
    expect(chapters.at(-1)!.end).toBe(3_600_000)
    for (const c of chapters) expect(c.end - c.start).toBeGreaterThanOrEqual(10_000)
    expect((await stageOf(scope, rec.id)).stage_meta).toMatchObject({ version: 1, chapters: topics.length, calls: 1, parts: 1 })
    expect(fs.readFileSync(app.env.dbPath).includes(KEY)).toBe(false)
  })

  it('asks once more after an answer that is not valid JSON, and completes', async () => {
    const { rec, scope } = await seedTranscribedRecording(app, lectureTranscript(900))
    fake.answerNext('{"main_topic": "Consensus", "topics": [')
    const before = fake.completions().length
    await run(rec.id)
    const sent = fake.completions().slice(before)
    expect(sent).toHaveLength(2)
    expect(sent[1]!.messages.at(-1)!.content).toMatch(/not valid JSON/)
    expect((await stageOf(scope, rec.id)).stage_meta).toMatchObject({ calls: 2 })
    expect((await scope.topicSets.active(rec.id))?.version).toBe(1)
  })

  it('fails the stage after two invalid answers, keeping the active set it had', async () => {
    const { rec, scope } = await seedTranscribedRecording(app, lectureTranscript(900))
    await run(rec.id)
    fake.answerNext('', { main_topic: 'x', summary: 'y', topics: [] })
    const error = await run(rec.id).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'provider', message: expect.stringMatching(/no valid topics .* two answers: .*topics must list at least one topic/) })
    expect((error as { hint?: string }).hint).toContain(`recflow recordings run ${rec.id} --force EXTRACT_TOPICS`)
    expect(await stageOf(scope, rec.id)).toMatchObject({ status: 'FAILED' })
    expect((await scope.topicSets.listForRecording(rec.id)).map((s) => [s.version, s.is_active])).toEqual([[1, true]])
  })

  it('fails on 402 Insufficient Balance (quota) and on a rejected key (auth, hint: credentials test ID), without retrying', async () => {
    const { rec, scope } = await seedTranscribedRecording(app, lectureTranscript(600))
    fake.inject('POST /chat/completions', chatFaults.insufficientBalance())
    const before = fake.requests.length
    await expect(run(rec.id)).rejects.toMatchObject({ code: 'quota', message: expect.stringMatching(/Insufficient Balance/) })
    expect(fake.requests.length - before).toBe(1)

    fake.inject('POST /chat/completions', { status: 401, body: { error: { message: 'Authentication Fails, Your api key: ****4a is invalid', type: 'authentication_error' } } })
    const auth = await run(rec.id).catch((e: unknown) => e)
    expect(auth).toMatchObject({ code: 'auth', hint: `run \`recflow credentials test ${credentialId}\`` })
    expect(JSON.stringify(auth)).not.toContain(KEY)
    expect((await stageOf(scope, rec.id)).failed_reason).not.toContain(KEY)
  })

  it('retries a 429 (Retry-After) and a dropped connection inside the stage and completes', async () => {
    const { rec, scope } = await seedTranscribedRecording(app, lectureTranscript(600))
    fake.inject('POST /chat/completions', chatFaults.rateLimited(1), chatFaults.drop())
    await run(rec.id)
    expect(await stageOf(scope, rec.id)).toMatchObject({ status: 'COMPLETED' })
  })

  it('is SKIPPED with the command to add a key when no key of the provider kind exists', async () => {
    const { rec, scope } = await seedTranscribedRecording(app, lectureTranscript(600))
    const result = await run(rec.id, { topics: { provider: 'openai' } })
    expect(result.stages.find((s) => s.stage === 'EXTRACT_TOPICS')).toMatchObject({ outcome: 'skipped', message: expect.stringContaining('recflow credentials add openai') })
    expect(await stageOf(scope, rec.id)).toMatchObject({ status: 'SKIPPED' })
  })

  it('fails (not skips) when topics.credential_id names no such credential', async () => {
    const { rec } = await seedTranscribedRecording(app, lectureTranscript(600))
    await expect(run(rec.id, { topics: { credential_id: 9999 } })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('is SKIPPED for an empty transcript (silence), asking the model nothing', async () => {
    const { rec } = await seedTranscribedRecording(app, lectureTranscript(0))
    const before = fake.requests.length
    const result = await run(rec.id)
    expect(result.stages.find((s) => s.stage === 'EXTRACT_TOPICS')).toMatchObject({ outcome: 'skipped', message: expect.stringMatching(/empty/) })
    expect(fake.requests.length).toBe(before)
  })

  it('splits a transcript longer than the model context into parts and merges their answers', async () => {
    const transcript = lectureTranscript(3 * 3600, { segmentS: 6, wordsPerSegment: 40 })
    const { rec, scope } = await seedTranscribedRecording(app, transcript)
    const before = fake.completions().length
    await run(rec.id, { topics: { model: 'tiny-context-model' } })
    const sent = fake.completions().slice(before)
    expect(sent.length).toBeGreaterThanOrEqual(3)
    for (const body of sent) expect(JSON.stringify(body).length / 3).toBeLessThan(32_000)
    expect(sent.slice(0, -1).every((b) => /This is part \d+ of \d+/.test(b.messages[1]!.content))).toBe(true)
    expect(sent.at(-1)!.messages[1]!.content).toMatch(/indexed in \d+ parts/)
    const topics = (await scope.topicSets.active(rec.id))!.topics as Array<{ start: number }>
    expect(topics[0]!.start).toBe(0)
    expect(topics.at(-1)!.start).toBeGreaterThan(2 * 3600) // the last part is covered too
    expect((await stageOf(scope, rec.id)).stage_meta).toMatchObject({ parts: sent.length - 1 })
  })

  it('publishes to a folder with {summary}, {main_topics} and {chapters} rendered from the active topic set', async () => {
    const { rec, files } = await seedTranscribedRecording(app, lectureTranscript(600), 'Published lecture')
    fs.writeFileSync(files.processed, 'not really a video')
    const out = path.join(home, 'published')
    const preset = await (await app.service('presets')).create(app.localUser, {
      name: 'Folder with topics',
      platform: 'local',
      preset_metadata: { destination: out, name_template: '{display_name}', description_template: '{summary}|{main_topics}|{chapters}' },
    })
    fake.answerNext({ main_topic: 'Logs', summary: 'All about logs.', topics: [{ title: 'One', start: 0 }, { title: 'Two', start: 200 }, { title: 'Three', start: 400 }] })
    const result = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id, force: ['EXTRACT_TOPICS'], runOverride: { upload: { preset_ids: [preset.id] } } as never })
    expect(result.targets).toMatchObject([{ status: 'UPLOADED' }])
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'Published lecture.json'), 'utf8')) as { description: string }
    expect(meta.description).toBe('All about logs.|Logs|0:00 One\n3:20 Two\n6:40 Three')
  })
})

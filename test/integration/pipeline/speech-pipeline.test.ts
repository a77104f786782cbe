import fs from 'node:fs'
import path from 'node:path'
import { parseSync } from 'subtitle'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import type { PartialConfig } from '../../../src/domain/config/index.js'
import { forUser } from '../../../src/db/index.js'
import { startChatFake, type ChatFake } from '../../fakes/chat.js'
import { FIREWORKS_TEST_KEY, fireworksError, startFireworksFake, type FireworksFake } from '../../fakes/fireworks.js'
import { makeLecture, makeTempDir, removeDir, type Lecture } from '../../fixtures/media/generate.js'
import { addApiKey } from '../../support/credentials.js'
import { openTestApp } from '../../support/test-app.js'

/*
 * ISSUE-8 "must show": one run against fakes that answer the first transcription request with 429 and the first
 * chat completion with invalid JSON still completes every stage — download, process, transcribe, topics,
 * subtitles — and publishes the video with its subtitles, chapters and rendered topics, on generated speech.
 */

let home: string
let app: App
let lecture: Lecture
let fireworks: FireworksFake
let chat: ChatFake

beforeAll(async () => {
  home = makeTempDir()
  lecture = makeLecture(path.join(home, 'lecture'), 2)
  ;[fireworks, chat] = await Promise.all([startFireworksFake(), startChatFake({ keys: ['sk-chat-key'] })])
  app = await openTestApp(home, { RECFLOW_LLM_URL: chat.url })
  await addApiKey(app, { kind: 'fireworks', apiKey: FIREWORKS_TEST_KEY, baseUrl: fireworks.url })
  await addApiKey(app, { kind: 'deepseek', apiKey: 'sk-chat-key' })
}, 240_000)

afterAll(async () => {
  await app?.close()
  await Promise.all([fireworks?.close(), chat?.close()])
  removeDir(home)
})

describe('a whole run through the speech stages', () => {
  it('survives a 429 from the transcriber and an invalid first answer from the chat model, and completes every stage', async () => {
    const out = path.join(home, 'published')
    const preset = await (await app.service('presets')).create(app.localUser, {
      name: 'Archive',
      platform: 'local',
      preset_metadata: { destination: out, name_template: '{display_name}', description_template: '{summary}\n\n{topics_list}' },
    })
    const rec = await forUser(app.database.db, app.localUser.id).recordings.create({
      display_name: 'Speech lecture',
      start_time: '2026-03-02T09:00:00Z',
      status: 'INITIALIZED',
      original_file: lecture.mp4,
      size_bytes: fs.statSync(lecture.mp4).size,
      is_mapped: true,
    })
    fireworks.inject('POST /v1/audio/transcriptions', { ...fireworksError(429, 'rate limit exceeded'), headers: { 'retry-after': '1' } })
    chat.answerNext('{"main_topic": "Speech", "topics": [')

    const runOverride = { transcription: { provider: 'fireworks' }, upload: { preset_ids: [preset.id] } } as PartialConfig
    const result = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id, runOverride })

    expect(result.stages.map((s) => [s.stage, s.outcome])).toEqual([
      ['DOWNLOAD', 'completed'],
      ['PROCESS', 'completed'],
      ['TRANSCRIBE', 'completed'],
      ['EXTRACT_TOPICS', 'completed'],
      ['GENERATE_SUBTITLES', 'completed'],
    ])
    expect(result).toMatchObject({ failed: false, targets: [{ status: 'UPLOADED' }] })
    expect(fireworks.requests.filter((r) => r.path === '/v1/audio/transcriptions').length).toBeGreaterThanOrEqual(2)
    expect(chat.completions()).toHaveLength(2) // the invalid answer, then the one asked for again

    const set = await forUser(app.database.db, app.localUser.id).topicSets.active(rec.id)
    expect(set).toBeDefined()
    const published = fs.readdirSync(out).sort()
    expect(published).toEqual(expect.arrayContaining(['Speech lecture.json', 'Speech lecture.mp4', 'Speech lecture.srt', 'Speech lecture.vtt']))
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'Speech lecture.json'), 'utf8')) as { description: string }
    expect(meta.description.startsWith(set!.summary)).toBe(true)
    expect(parseSync(fs.readFileSync(path.join(out, 'Speech lecture.srt'), 'utf8')).filter((n) => n.type === 'cue').length).toBeGreaterThan(0)
  })
})

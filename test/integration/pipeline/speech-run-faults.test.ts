import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chatFaults, startChatFake, type ChatFake } from '../../fakes/chat.js'
import { fireworksError, FIREWORKS_TEST_KEY, startFireworksFake, type FireworksFake } from '../../fakes/fireworks.js'
import { makeLecture, makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { cliData, setupLocalPipeline } from '../../e2e/pipeline/pipeline-fixture.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

/*
 * Issue 8, "must show": one `recflow run` against services that misbehave the way real ones do — the first
 * transcription request gets a 429 with Retry-After, a chat request gets a 503 and the first chat answer is not
 * JSON — still completes every stage (download, process, transcribe, topics, subtitles) and publishes the video
 * with its subtitles and chapters. Through oclif in-process on dist/ (build first; `npm test` does).
 */

const CHAT_KEY = 'sk-run-faults-9f8e7d6c5b4a'
let home: string
let fireworks: FireworksFake
let chat: ChatFake

beforeAll(async () => {
  home = makeTempDir()
  const inbox = path.join(home, 'inbox')
  fs.mkdirSync(inbox, { recursive: true })
  const lecture = makeLecture(path.join(home, 'lecture'), 2)
  fs.copyFileSync(lecture.mp4, path.join(inbox, 'Lecture 1.mp4'))
  fireworks = await startFireworksFake()
  chat = await startChatFake({ keys: [CHAT_KEY] })
  await setupLocalPipeline(home, { inbox, destination: path.join(home, 'published') })
}, 240_000)

afterAll(async () => {
  await fireworks?.close()
  await chat?.close()
  removeDir(home)
})

describe('a run against faulty speech and chat services', () => {
  it('retries a 429, a 503 and an invalid JSON answer, completes every stage and publishes subtitles and chapters', async () => {
    await cliData(['credentials', 'add', 'fireworks', '--name', 'fw', '--api-key', FIREWORKS_TEST_KEY, '--base-url', fireworks.url], home)
    await cliData(['credentials', 'add', 'deepseek', '--name', 'ds', '--api-key', CHAT_KEY, '--base-url', chat.url], home)
    await cliData(['config', 'set', 'transcription.provider', 'fireworks'], home)

    fireworks.inject('POST /v1/audio/transcriptions', fireworksError(429, 'rate limited'), { drop: true })
    const retryAfter = fireworks.requests.length
    chat.inject('POST /chat/completions', chatFaults.overloaded())
    chat.answerNext('{"main_topic": "Consensus", "summary": "cut off')

    const out = await runCommandInProcess(['run', '--json'], { home })
    expect(out.code, out.stderr).toBe(0)
    expect(out.json.data.recordings).toHaveLength(1)
    const [rec] = out.json.data.recordings
    expect(rec.state).toBe('succeeded')
    expect(rec.result.status).toBe('READY')
    expect(rec.result.stages.map((s: { stage: string; outcome: string }) => `${s.stage} ${s.outcome}`)).toEqual([
      'DOWNLOAD completed',
      'PROCESS completed',
      'TRANSCRIBE completed',
      'EXTRACT_TOPICS completed',
      'GENERATE_SUBTITLES completed',
    ])

    // The faults were really served, and then retried.
    const transcriptionCalls = fireworks.requests.slice(retryAfter).filter((r) => r.path === '/v1/audio/transcriptions')
    expect(transcriptionCalls.length).toBeGreaterThanOrEqual(3)
    const completions = chat.completions()
    expect(completions.length).toBeGreaterThanOrEqual(2)

    const published = fs.readdirSync(path.join(home, 'published')).sort()
    expect(published.filter((n) => n.endsWith('.mp4'))).toHaveLength(1)
    const base = published.find((n) => n.endsWith('.mp4'))!.replace(/\.mp4$/, '')
    expect(published).toEqual(expect.arrayContaining([`${base}.srt`, `${base}.vtt`, `${base}.chapters.vtt`]))
    expect(fs.readFileSync(path.join(home, 'published', `${base}.srt`), 'utf8')).toMatch(/^1\r?\n00:00:\d\d,\d{3} --> /)

    const topics = await cliData(['recordings', 'topics', String(rec.recordingId)], home)
    expect(topics.active.topics.length).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(out.json)).not.toContain(CHAT_KEY)
    expect(JSON.stringify(out.json)).not.toContain(FIREWORKS_TEST_KEY)
  })
})

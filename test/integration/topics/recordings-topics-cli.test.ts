import fs from 'node:fs'
import path from 'node:path'
import { parseSync } from 'subtitle'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { startChatFake, type ChatFake } from '../../fakes/chat.js'
import { tempHome } from '../../support/cli.js'
import { addApiKey } from '../../support/credentials.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { lectureTranscript, seedTranscribedRecording } from '../../support/seed-transcript.js'
import { openTestApp } from '../../support/test-app.js'

// `recordings topics` and `presets render` through oclif in-process on dist/ (build first; `npm test` does).

const KEY = 'sk-topics-cli-0a1b2c3d4e5f'
let home: string
let app: App
let fake: ChatFake
let recordingId: number
let chaptersFile: string
const cli = (...args: string[]) => runCommandInProcess(args, { home })

const FIRST = {
  main_topic: 'Consensus basics',
  summary: 'Why nodes must agree, and how replicated logs do it.',
  topics: [{ title: 'Alpha', start: 0 }, { title: 'Beta', start: 100 }, { title: 'Gamma', start: 200 }],
}

beforeAll(async () => {
  home = tempHome()
  fake = await startChatFake({ keys: [KEY] })
  app = await openTestApp(home, { RECFLOW_LLM_URL: fake.url })
  await addApiKey(app, { kind: 'deepseek', apiKey: KEY })
  const { rec, files } = await seedTranscribedRecording(app, lectureTranscript(1200))
  recordingId = rec.id
  chaptersFile = files.chapters
  const pipeline = await app.service('pipeline')
  fake.answerNext(FIRST)
  await pipeline.run(app.localUser, { recordingId, stopAfter: 'EXTRACT_TOPICS' })
  await pipeline.run(app.localUser, { recordingId, force: ['EXTRACT_TOPICS'], stopAfter: 'EXTRACT_TOPICS' }) // version 2: derived topics
})
afterAll(async () => {
  await app?.close()
  await fake?.close()
  fs.rmSync(home, { recursive: true, force: true })
})

const chapterTitles = () => parseSync(fs.readFileSync(chaptersFile, 'utf8')).filter((n) => n.type === 'cue').map((n) => (n.data as { text: string }).text)

describe('recordings topics', () => {
  it('shows the active version with its topics, summary and chapters', async () => {
    const out = await cli('recordings', 'topics', String(recordingId), '--json')
    expect(out.code).toBe(0)
    expect(out.json.data.active).toMatchObject({ version: 2, active: true, provider: 'deepseek', model: 'deepseek-v4-flash' })
    expect(out.json.data.versions).toBeUndefined()
    const text = await cli('recordings', 'topics', String(recordingId))
    expect(text.stdout).toContain('topics version 2 (active)')
    expect(text.stdout).toMatch(/Chapters \(YouTube\):\n {2}0:00 /)
  })

  it('lists every version with --versions and switches with --activate, rewriting the chapters file', async () => {
    const listed = await cli('recordings', 'topics', String(recordingId), '--versions')
    expect(listed.stdout).toMatch(/Versions:\n {4}1 .* 3 topics .*Consensus basics\n {2}\* 2 /)
    expect(chapterTitles()).not.toEqual(['Alpha', 'Beta', 'Gamma'])

    const switched = await cli('recordings', 'topics', String(recordingId), '--activate', '1', '--json')
    expect(switched.code).toBe(0)
    expect(switched.json.data.active).toMatchObject({ version: 1, main_topic: 'Consensus basics', chapters: ['0:00 Alpha', '1:40 Beta', '3:20 Gamma'] })
    expect(switched.json.data.versions.map((v: { active: boolean }) => v.active)).toEqual([true, false])
    expect(chapterTitles()).toEqual(['Alpha', 'Beta', 'Gamma'])
  })

  it('refuses an unknown version (exit 3) and changes nothing', async () => {
    const before = (await cli('recordings', 'topics', String(recordingId), '--json')).json.data.active.version
    const out = await cli('recordings', 'topics', String(recordingId), '--activate', '7', '--json')
    expect(out.code).toBe(3)
    expect(out.json.error.hint).toContain(`recflow recordings topics ${recordingId} --versions`)
    expect((await cli('recordings', 'topics', String(recordingId), '--json')).json.data.active.version).toBe(before)
  })

  it('says how to get topics for a recording that has none', async () => {
    const { rec } = await seedTranscribedRecording(app, lectureTranscript(60), 'No topics yet')
    const out = await cli('recordings', 'topics', String(rec.id), '--json')
    expect(out.code).toBe(3)
    expect(out.json.error).toMatchObject({ code: 'not_found', message: `recording ${rec.id} has no topics yet` })
    expect(out.json.error.hint).toContain('recflow credentials add deepseek')
  })
})

describe('presets render with a recording', () => {
  it('renders {summary}, {main_topics}, {topic} and {chapters} from the active topic set', async () => {
    await cli('recordings', 'topics', String(recordingId), '--activate', '1')
    const preset = (
      await cli('presets', 'add', 'Archive', '--platform', 'local', '--destination', path.join(home, 'out'),
        '--title', '{topic}: {display_name}', '--description-template', '{summary}\n\nMain: {main_topics}\n\n{chapters}', '--json')
    ).json.data
    const out = await cli('presets', 'render', String(preset.id), '--recording', String(recordingId), '--json')
    expect(out.code).toBe(0)
    expect(out.json.data.title).toBe('Consensus basics: Distributed Systems 5')
    expect(out.json.data.description).toBe(`${FIRST.summary}\n\nMain: Consensus basics\n\n0:00 Alpha\n1:40 Beta\n3:20 Gamma`)
  })
})

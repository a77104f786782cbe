import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIREWORKS_TEST_KEY, startFireworksFake, type FireworksFake } from '../../fakes/fireworks.js'
import { makeClip, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { tempHome, type CliResult } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

// Through oclif in-process on dist/ (test/support/run-in-process.ts): build first (`npm test` does).

let home: string
let fake: FireworksFake
let id: string
const cli = (...args: string[]): Promise<CliResult> => runCommandInProcess(args, { home })

beforeAll(async () => {
  home = tempHome('recflow-transcribe-cli-')
  fake = await startFireworksFake()
  const clip = makeClip(await systemOrBundledTools(), path.join(home, 'Talk.m4a'), { durationS: 24, tones: [{ start: 2, end: 9 }, { start: 12, end: 21 }], video: false })
  expect((await cli('init')).code).toBe(0)
  expect((await cli('credentials', 'add', 'fireworks', '--api-key', FIREWORKS_TEST_KEY, '--base-url', fake.url)).code).toBe(0)
  for (const [key, value] of [['transcription.provider', 'fireworks'], ['topics.enabled', 'false'], ['subtitles.enabled', 'false'], ['processing.enabled', 'false']]) {
    expect((await cli('config', 'set', key!, value!)).code).toBe(0)
  }
  const added = await cli('recordings', 'add', clip, '--json')
  id = String(added.json.data.recording.id)
}, 60_000)

afterAll(async () => {
  await fake?.close()
  fs.rmSync(home, { recursive: true, force: true })
})

const transcribeRow = async () => {
  const shown = await cli('recordings', 'show', id, '--json')
  return (shown.json.data.stages as Array<Record<string, any>>).find((s) => s.stage_type === 'TRANSCRIBE')!
}

describe('transcription from the command line', () => {
  it('`recordings run` transcribes, and `--force TRANSCRIBE` transcribes again', async () => {
    const first = await cli('recordings', 'run', id)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/transcribe.* words in 1 piece \(en\)/i)
    expect(fake.transcriptions).toHaveLength(1)
    expect(await transcribeRow()).toMatchObject({ status: 'COMPLETED', attempts: 1, stage_meta: { pieces: 1, audio_source: 'original', empty: false } })
    const text = await cli('recordings', 'transcript', id)
    expect(text.code).toBe(0)
    expect(text.stdout.split(/\s+/).filter(Boolean).length).toBeGreaterThan(20)

    const again = await cli('recordings', 'run', id, '--force', 'TRANSCRIBE', '--json')
    expect(again.code, again.stderr).toBe(0)
    expect(fake.transcriptions).toHaveLength(2)
    expect(await transcribeRow()).toMatchObject({ status: 'COMPLETED', attempts: 2 })
    // Nothing of the key in what was printed or stored.
    expect(JSON.stringify(again.json)).not.toContain(FIREWORKS_TEST_KEY)
    expect(fs.readFileSync(path.join(home, 'data', 'recflow.db')).includes(FIREWORKS_TEST_KEY)).toBe(false)
  }, 60_000)
})

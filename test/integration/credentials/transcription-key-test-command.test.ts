import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTranscriptionFakes, type TranscriptionFakes } from '../../fakes/transcription-fakes.js'
import { tempHome, type CliResult } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

// `recflow credentials test` for transcription keys, through oclif in-process on dist/ (build first), against
// the transcription fakes (RECFLOW_FIREWORKS_AUDIO_URL / RECFLOW_TRANSCRIBE_URL point at them).

let home: string
let fakes: TranscriptionFakes
const printed: string[] = []
const cli = async (...args: string[]): Promise<CliResult> => {
  const r = await runCommandInProcess(args, { home, env: { ...fakes.env, RECFLOW_LOG_LEVEL: 'debug' } })
  printed.push(r.stdout, r.stderr)
  return r
}
const add = async (kind: string, name: string, key: string): Promise<number> => {
  const r = await cli('credentials', 'add', kind, '--name', name, '--api-key', key, '--json')
  expect(r.code, r.stdout + r.stderr).toBe(0)
  return r.json.data.id
}

beforeAll(async () => {
  home = tempHome()
  fakes = await startTranscriptionFakes()
})
afterAll(async () => {
  await fakes.close()
  fs.rmSync(home, { recursive: true, force: true })
})

describe('credentials test for transcription keys', () => {
  it('fireworks: ok with the right key (one tiny transcription), exit 4 for a refused one', async () => {
    const good = await add('fireworks', 'fw', fakes.keys.fireworks)
    const before = fakes.fireworks.requests.length
    const ok = await cli('credentials', 'test', String(good), '--json')
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json.data).toMatchObject({ kind: 'fireworks', ok: true })
    expect(fakes.fireworks.requests.length - before).toBe(1)
    const bad = await add('fireworks', 'fw-bad', 'fw-SECRET-wrong-key')
    const refused = await cli('credentials', 'test', String(bad), '--json')
    expect(refused.code).toBe(4)
  })

  it('openai: ok via GET /v1/models, exit 4 for a refused key; no key is ever printed', async () => {
    const good = await add('openai', 'oa', fakes.keys.openai)
    const ok = await cli('credentials', 'test', String(good), '--json')
    expect(ok.code, ok.stderr).toBe(0)
    expect(fakes.openai.requests.at(-1)!.path).toBe('/v1/models')
    const bad = await add('openai', 'oa-bad', 'sk-SECRET-wrong-0123456789')
    expect((await cli('credentials', 'test', String(bad), '--json')).code).toBe(4)
    const all = printed.join('\n')
    for (const key of [fakes.keys.fireworks, fakes.keys.openai, 'fw-SECRET-wrong-key', 'sk-SECRET-wrong-0123456789']) expect(all).not.toContain(key)
  })
})

import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeServer } from '../../fakes/fake-http.js'
import { startTranscriptionFakes, type TranscriptionFakes } from '../../fakes/transcription-fakes.js'
import { tempHome, type CliResult } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

// `credentials test` for the transcription kinds, against the Fireworks and OpenAI-compatible fakes (in-process, dist/).

let home: string
let fakes: TranscriptionFakes
let deadUrl: string
const printed: string[] = []
const cli = async (env: Record<string, string>, ...args: string[]): Promise<CliResult> => {
  const r = await runCommandInProcess(args, { home, env: { ...fakes.env, ...env } })
  printed.push(r.stdout, r.stderr)
  return r
}
const add = async (kind: string, key: string, ...extra: string[]): Promise<number> => {
  const r = await cli({}, 'credentials', 'add', kind, '--api-key', key, ...extra, '--json')
  expect(r.code, r.stderr).toBe(0)
  return r.json.data.id
}

beforeAll(async () => {
  home = tempHome()
  fakes = await startTranscriptionFakes()
  const closed = await startFakeServer([])
  deadUrl = closed.url
  await closed.close()
})
afterAll(async () => {
  await fakes?.close()
  fs.rmSync(home, { recursive: true, force: true })
})

describe('credentials test for transcription keys', () => {
  it.each(['fireworks', 'openai'] as const)('%s: a good key exits 0, a refused one 4 with a hint, an unreachable service 5', async (kind) => {
    const good = await add(kind, fakes.keys[kind], '--name', `${kind}-good`)
    const ok = await cli({}, 'credentials', 'test', String(good), '--json')
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json.data).toMatchObject({ id: good, kind, ok: true })

    const wrongKey = `${kind}-wrong-key-9c1e5a`
    const bad = await add(kind, wrongKey, '--name', `${kind}-bad`)
    const refused = await cli({}, 'credentials', 'test', String(bad), '--json')
    expect(refused.code).toBe(4)
    expect(refused.json.error.code).toBe('auth')
    expect(refused.json.error.hint).toContain('recflow credentials add')

    const gone = await add(kind, fakes.keys[kind], '--name', `${kind}-gone`, '--base-url', deadUrl)
    const unreachable = await cli({}, 'credentials', 'test', String(gone), '--json')
    expect(unreachable.code).toBe(5)
    expect(unreachable.json.error.code).toBe('provider')

    expect(printed.join('\n')).not.toContain(wrongKey)
    expect(printed.join('\n')).not.toContain(fakes.keys[kind])
  }, 60_000)

  it('the credential\'s own --base-url wins over the RECFLOW_TRANSCRIBE_URL variable', async () => {
    const id = await add('openai', fakes.keys.openai, '--name', 'own-url', '--base-url', fakes.openai.baseUrl)
    const before = fakes.openai.requests.length
    const r = await cli({ RECFLOW_TRANSCRIBE_URL: deadUrl }, 'credentials', 'test', String(id), '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(fakes.openai.requests.length).toBeGreaterThan(before)
  })
})

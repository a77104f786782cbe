import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'
import { EncryptedFileStore } from '../../../src/platform/secrets.js'
import { startChatFake, type ChatFake } from '../../fakes/chat.js'
import { jsonResponse, startFakeServer } from '../../fakes/fake-http.js'
import { tempHome, writeFile, type CliResult } from '../../support/cli.js'
import { dbSnapshot } from '../../support/db-snapshot.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { openTestApp } from '../../support/test-app.js'

// Through oclif in-process on dist/ (test/support/run-in-process.ts): build first (`npm test` does).

const KEY = 'sk-test-SECRET-4f1c9a7e2b6d8e03'
const WRONG_KEY = 'sk-wrong-SECRET-77aa31c0de95'

let home: string
let fake: ChatFake
/** Everything the commands printed, to prove no key ever appears in it. */
const printed: string[] = []
const cli = async (...args: string[]): Promise<CliResult> => {
  const r = await runCommandInProcess(args, { home, env: { RECFLOW_LOG_LEVEL: 'debug' } })
  printed.push(r.stdout, r.stderr)
  return r
}
const dbFile = () => path.join(home, 'data', 'recflow.db')
const secretsFile = () => path.join(home, 'config', 'secrets.enc.json')
const state = () => `${dbSnapshot(dbFile())}\n${fs.existsSync(secretsFile()) ? fs.readFileSync(secretsFile(), 'utf8') : '<no secrets>'}`

/** Every file under the data folder (the database, its WAL and shared-memory files), as bytes. */
function dataFileBytes(): Buffer {
  const dir = path.join(home, 'data')
  return Buffer.concat(
    fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => fs.readFileSync(path.join(d.parentPath, d.name))),
  )
}

beforeAll(async () => {
  home = tempHome()
  fake = await startChatFake({ keys: [KEY] })
})
afterAll(async () => {
  await fake?.close()
  fs.rmSync(home, { recursive: true, force: true })
})

describe('credentials add / list / show / test through the CLI', () => {
  let id: number

  it('stores the key in the secret store; the row holds only a reference; list and show print no key', async () => {
    const added = await cli('credentials', 'add', 'deepseek', '--api-key', KEY, '--base-url', fake.url + '/', '--json')
    expect(added.code, added.stderr).toBe(0)
    expect(added.json.data).toMatchObject({ kind: 'deepseek', name: 'deepseek', base_url: fake.url, store: 'encrypted-file', status: 'active' })
    id = added.json.data.id

    const second = await cli('credentials', 'add', 'fireworks', '--api-key', 'fw-SECRET-key-1', '--name', 'lab')
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain('"lab"')
    expect(second.stdout).toContain('recflow credentials test')

    const list = await cli('credentials', 'list', '--json')
    expect(list.json.data.map((c: { kind: string; name: string }) => `${c.kind}/${c.name}`)).toEqual(['deepseek/deepseek', 'fireworks/lab'])
    const text = await cli('credentials', 'list')
    expect(text.stdout).toMatch(/deepseek\s+deepseek/)
    const show = await cli('credentials', 'show', String(id), '--json')
    expect(show.json.data).toMatchObject({ id, kind: 'deepseek', used_by: [] })

    const app = await openTestApp(home)
    try {
      const row = (await forUser(app.database.db, app.localUser.id).credentials.get(id))!
      const ref = JSON.parse(row.encrypted_data) as { secret: string; base_url: string }
      expect(ref.base_url).toBe(fake.url)
      expect(row.key_id).toBe('encrypted-file')
      expect(await new EncryptedFileStore(path.join(home, 'config')).get(ref.secret)).toBe(KEY)
    } finally {
      await app.close()
    }
    expect(fs.readFileSync(secretsFile(), 'utf8')).not.toContain(KEY)
  })

  it('test: ok exits 0 after one authenticated call with the stored key', async () => {
    const before = fake.requests.length
    const r = await cli('credentials', 'test', String(id), '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.data).toMatchObject({ id, kind: 'deepseek', ok: true })
    const calls = fake.requests.slice(before)
    expect(calls.length).toBeGreaterThanOrEqual(1)
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${KEY}`)
    expect((await cli('credentials', 'test', String(id))).stdout).toMatch(/^ok: deepseek credential/)
  })

  it('test: a refused key exits 4 with a hint; an unreachable service exits 5', async () => {
    const wrong = (await cli('credentials', 'add', 'deepseek', '--name', 'wrong', '--api-key', WRONG_KEY, '--base-url', fake.url, '--json')).json.data.id
    const bad = await cli('credentials', 'test', String(wrong), '--json')
    expect(bad.code).toBe(4)
    expect(bad.json.error.code).toBe('auth')
    expect(bad.json.error.hint).toContain('recflow credentials')

    const closed = await startFakeServer([])
    const url = closed.url
    await closed.close()
    const gone = (await cli('credentials', 'add', 'deepseek', '--name', 'gone', '--api-key', KEY, '--base-url', url, '--json')).json.data.id
    const unreachable = await cli('credentials', 'test', String(gone), '--json')
    expect(unreachable.code).toBe(5)
    expect(unreachable.json.error.code).toBe('provider')
    expect(unreachable.json.error.message).toContain('cannot be reached')
    const text = await cli('credentials', 'test', String(gone))
    expect(text.code).toBe(5)
    expect(text.stderr).toContain('Hint:')

    expect((await cli('credentials', 'test', '999', '--json')).code).toBe(3)
  }, 30_000)

  it('test: a service that echoes the key back in its refusal does not get it printed', async () => {
    fake.inject('GET /user/balance', jsonResponse(401, { error: { message: `Authentication Fails, Your api key: ${KEY} is invalid`, type: 'authentication_error' } }))
    const r = await cli('credentials', 'test', String(id), '--json')
    expect(r.code).toBe(4)
    expect(r.json.error.message).toContain('***')
    expect(r.stdout + r.stderr).not.toContain(KEY)
  })
})

describe('bad input changes nothing', () => {
  it.each([
    [['add', 'deepseek', '--api-key', ''], 2, /empty/],
    [['add', 'deepseek', '--api-key', 'two SECRET-words'], 2, /spaces or control/],
    [['add', 'mistral', '--api-key', 'k-123456'], 2, /mistral/],
    [['add', 'fireworks', 'fw-SECRET-as-an-argument'], 2, /the key is not an argument/],
    [['add', 'openai', '--api-key', 'k-123456', '--base-url', 'ftp://example.org'], 2, /http or https/],
    [['add', 'openai', '--api-key', 'k-123456', '--base-url', 'https://user:pw@example.org'], 2, /user name or password/],
    [['add', 'deepseek', '--api-key', 'k-123456', '--name', 'wrong'], 1, /already have a deepseek credential named "wrong"/],
    [['remove', '999'], 3, /credential 999 not found/],
    [['show', 'abc'], 2, /./],
  ])('credentials %j exits %i', async (args, code, message) => {
    const before = state()
    const r = await cli('credentials', ...args, '--json')
    expect(r.code).toBe(code)
    expect(r.json.ok).toBe(false)
    expect(r.json.error.message).toMatch(message)
    expect(JSON.stringify(r.json)).not.toContain('SECRET')
    expect(state()).toBe(before)
  })
})

describe('config and templates name only your own credentials of a usable kind', () => {
  it('refuses a missing id, or a deepseek key for transcription, and changes nothing', async () => {
    const deepseek = (await cli('credentials', 'list', '--json')).json.data.find((c: { kind: string }) => c.kind === 'deepseek').id
    const before = state()
    const missing = await cli('config', 'set', 'topics.credential_id', '999', '--json')
    expect(missing.code).toBe(3)
    expect(missing.json.error.hint).toContain('recflow credentials list')
    const wrongKind = await cli('config', 'set', 'transcription.credential_id', String(deepseek), '--json')
    expect(wrongKind.code).toBe(3)
    expect(wrongKind.json.error.message).toContain('fireworks or openai credential')
    const file = writeFile(home, 'bio.json', { name: 'Bio', matching_rules: { keywords: ['Bio'] }, processing_config: { transcription: { credential_id: deepseek } } })
    const template = await cli('templates', 'add', '--file', file, '--json')
    expect(template.code).toBe(3)
    expect(state()).toBe(before)
    expect((await cli('config', 'set', 'topics.credential_id', String(deepseek))).code).toBe(0)
    expect((await cli('config', 'unset', 'topics.credential_id')).code).toBe(0)
  })
})

describe('credentials in use', () => {
  it('removal is refused while the config, a template, a recording, a preset or a source names it; --force detaches it', async () => {
    const id = (await cli('credentials', 'add', 'openai', '--name', 'used', '--api-key', 'sk-openai-SECRET-1', '--json')).json.data.id
    const app = await openTestApp(home)
    let ids: { preset: number; source: number; template: number; recording: number; secret: string }
    try {
      const scope = forUser(app.database.db, app.localUser.id)
      const preset = await scope.presets.create({ name: 'Channel', platform: 'youtube', credential_id: id, preset_metadata: {} })
      const source = await scope.sources.create({ name: 'Zoom', platform: 'zoom', credential_id: id, config: {} })
      const template = await (await app.service('templates')).create(app.localUser, {
        name: 'Math',
        matching_rules: { keywords: ['Math'] },
        processing_config: { transcription: { credential_id: id, language: 'en' } },
      })
      const recording = await scope.recordings.create({
        display_name: 'Lecture 1',
        start_time: '2026-03-02T09:00:00Z',
        processing_config_override: { topics: { credential_id: id } },
      })
      await (await app.service('config')).set(app.localUser, 'transcription.credential_id', String(id))
      ids = { preset: preset.id, source: source.id, template: template.id, recording: recording.id, secret: JSON.parse((await scope.credentials.get(id))!.encrypted_data).secret }
    } finally {
      await app.close()
    }

    const before = state()
    const refused = await cli('credentials', 'remove', String(id), '--json')
    expect(refused.code).toBe(1)
    expect(refused.json.error.code).toBe('conflict')
    for (const part of [`preset ${ids.preset} "Channel"`, `source ${ids.source} "Zoom"`, `template ${ids.template} "Math" (processing_config.transcription.credential_id)`, `recording ${ids.recording} "Lecture 1"`, 'your config (transcription.credential_id)']) {
      expect(refused.json.error.message).toContain(part)
    }
    expect(refused.json.error.hint).toContain(`recflow credentials remove ${id} --force`)
    expect(state()).toBe(before)
    const show = await cli('credentials', 'show', String(id), '--json')
    expect(show.json.data.used_by).toHaveLength(5)

    const forced = await cli('credentials', 'remove', String(id), '--force', '--json')
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.json.data).toMatchObject({ id, removed: true, key_deleted: true })
    expect(forced.json.data.detached).toHaveLength(5)
    expect((await cli('credentials', 'show', String(id))).code).toBe(3)

    const after = await openTestApp(home)
    try {
      const scope = forUser(after.database.db, after.localUser.id)
      expect((await scope.presets.get(ids.preset))!.credential_id).toBeNull()
      expect((await scope.sources.get(ids.source))!.credential_id).toBeNull()
      expect((await scope.templates.get(ids.template))!.processing_config).toEqual({ transcription: { language: 'en' } })
      expect((await scope.recordings.get(ids.recording))!.processing_config_override ?? {}).toEqual({})
      expect(JSON.stringify((await scope.configs.get())?.config ?? {})).not.toContain('credential_id')
    } finally {
      await after.close()
    }
    expect(await new EncryptedFileStore(path.join(home, 'config')).get(ids.secret)).toBeUndefined()
  })

  it('a removal without users takes the key out of the secret store too', async () => {
    const added = (await cli('credentials', 'add', 'fireworks', '--name', 'temp', '--api-key', 'fw-temp-SECRET', '--json')).json.data
    const removed = await cli('credentials', 'remove', String(added.id))
    expect(removed.code, removed.stderr).toBe(0)
    expect(removed.stdout).toContain(`Removed credential ${added.id}.`)
    const store = JSON.parse(fs.readFileSync(secretsFile(), 'utf8')) as { entries: Record<string, unknown> }
    const app = await openTestApp(home)
    try {
      const rows = await forUser(app.database.db, app.localUser.id).credentials.list({})
      expect(Object.keys(store.entries).length).toBe(rows.items.length)
    } finally {
      await app.close()
    }
  })
})

describe('no key anywhere but the secret store', () => {
  it('not in the database files, nor in anything a command printed (debug logs included)', () => {
    const bytes = dataFileBytes()
    for (const key of [KEY, WRONG_KEY, 'fw-SECRET-key-1', 'sk-openai-SECRET-1', 'fw-temp-SECRET']) {
      expect(bytes.includes(Buffer.from(key))).toBe(false)
      expect(printed.join('\n')).not.toContain(key)
    }
    expect(printed.join('\n')).not.toContain('SECRET')
  })
})

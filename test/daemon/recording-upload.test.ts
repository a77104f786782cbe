import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { makeClip, systemOrBundledTools } from '../fixtures/media/generate.js'
import { useTestDaemon, type TestUser } from '../support/daemon.js'

const LIMIT = 256 * 1024
const daemon = useTestDaemon({ server: { uploadLimit: LIMIT } })

let clip: Buffer
beforeAll(async () => {
  const file = path.join(daemon.home, 'clip-source', 'clip.mp4')
  makeClip(await systemOrBundledTools(), file, { durationS: 2, tones: [{ start: 0.5, end: 1.5 }] })
  clip = fs.readFileSync(file)
})

const upload = (user: TestUser | undefined, parts: Array<[string, Blob | string, string?]>) => {
  const form = new FormData()
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value)
    else form.append(name, value, filename)
  }
  return fetch(`${daemon.url}/api/v1/recordings`, { method: 'POST', body: form, headers: user ? { authorization: `Bearer ${user.token}` } : {} })
}

const uploadsOf = (user: TestUser) => {
  const dir = path.join(daemon.app.env.mediaDir, `user_${user.id}`, 'uploads')
  return fs.existsSync(dir) ? fs.readdirSync(dir) : []
}

describe('POST /recordings (multipart upload)', () => {
  it('a real clip is stored under a generated name in the caller\'s media folder, imported and template-matched -> 201', async () => {
    const user = await daemon.user('uploader@example.org')
    await (await daemon.app.service('templates')).create({ id: user.id, timezone: 'UTC' }, { name: 'Algebra', matching_rules: { keywords: ['algebra'] } })
    const res = await upload(user, [
      ['file', new Blob([clip]), '../../../etc/evil name.mp4'],
      ['display_name', 'Linear Algebra 01'],
    ])
    expect(res.status).toBe(201)
    const rec = (await res.json()) as { id: number; display_name: string; status: string; is_mapped: boolean; template_id: number | null; size_bytes: number; duration: number }
    expect(rec).toMatchObject({ display_name: 'Linear Algebra 01', status: 'INITIALIZED', is_mapped: true, size_bytes: clip.length })
    expect(rec.template_id).not.toBeNull()
    expect(rec.duration).toBeCloseTo(2, 0)
    const stored = uploadsOf(user)
    expect(stored).toEqual([expect.stringMatching(/^upload-\d+-[0-9a-f]{12}\.mp4$/)])
    const row = await forUser(daemon.app.database.db, user.id).recordings.get(rec.id)
    expect(row?.original_file).toBe(path.join(daemon.app.env.mediaDir, `user_${user.id}`, 'uploads', stored[0]!))
    expect(fs.readFileSync(row!.original_file!).equals(clip)).toBe(true)
    expect(((await (await daemon.fetch('/api/v1/users/me/quota', { token: user.token })).json()) as any).usage.storage_bytes).toBe(clip.length)
  })

  it('without display_name the client file name (not its path) names the recording', async () => {
    const user = await daemon.user('named@example.org')
    const res = await upload(user, [['file', new Blob([clip]), 'C:\\talks\\Week_3_Intro.mp4']])
    expect(res.status).toBe(201)
    expect(((await res.json()) as { display_name: string }).display_name).toBe('Week 3 Intro')
  })

  it('not media (by its first bytes, whatever its name) is 415 and leaves no file', async () => {
    const user = await daemon.user('text@example.org')
    const res = await upload(user, [['file', new Blob(['hello, this is not a video\n'.repeat(400)]), 'lecture.mp4']])
    expect(res.status).toBe(415)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/not an audio or video container/)
    expect(uploadsOf(user)).toEqual([])
    expect((await forUser(daemon.app.database.db, user.id).recordings.list({}, { limit: 10 })).items).toEqual([])
  })

  it('over the size limit is 413 and leaves no file behind', async () => {
    const user = await daemon.user('big@example.org')
    const header = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex') // an ISO BMFF ftyp box: sniffed as media
    const res = await upload(user, [['file', new Blob([header, randomBytes(LIMIT + 64 * 1024)]), 'huge.mp4']])
    expect(res.status).toBe(413)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/larger than the 262144 bytes/)
    expect(uploadsOf(user)).toEqual([])
  })

  it('a client that goes away mid-upload leaves no partial file and no recording', async () => {
    const user = await daemon.user('abort@example.org')
    const boundary = 'recflow-abort-test'
    const enc = new TextEncoder()
    let pushMore: ((c: ReadableStreamDefaultController<Uint8Array>) => void) | undefined
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\nContent-Type: video/mp4\r\n\r\n`))
        c.enqueue(clip.subarray(0, 64 * 1024))
        pushMore = (ctl) => ctl.enqueue(clip.subarray(64 * 1024, 96 * 1024))
      },
      pull(c) {
        pushMore?.(c)
        pushMore = undefined
      },
    })
    const abort = new AbortController()
    const sent = fetch(`${daemon.url}/api/v1/recordings`, {
      method: 'POST',
      body,
      signal: abort.signal,
      headers: { authorization: `Bearer ${user.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      duplex: 'half',
    } as RequestInit).catch((e: unknown) => e)
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 2000 && !what(); i++) await new Promise((r) => setTimeout(r, 5))
      return what()
    }
    expect(await until(() => uploadsOf(user).some((f) => f.endsWith('.part')))).toBe(true)
    abort.abort()
    expect(await sent).toBeInstanceOf(Error)
    expect(await until(() => uploadsOf(user).length === 0)).toBe(true)
    expect((await forUser(daemon.app.database.db, user.id).recordings.list({}, { limit: 10 })).items).toEqual([])
  })

  it("past the plan's storage (full, or this file bigger than what is left) is 429 QUOTA_EXCEEDED and leaves no file", async () => {
    const user = await daemon.user('storage@example.org')
    const scope = forUser(daemon.app.database.db, user.id)
    await scope.subscription.update({ custom_storage_bytes: 3000 })
    const bigger = await upload(user, [['file', new Blob([clip]), 'a.mp4']])
    expect(bigger.status).toBe(429)
    expect(await bigger.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'storage_bytes', limit: 3000, usage: 0, detail: expect.stringMatching(/larger than the .* left/) })
    await scope.subscription.update({ custom_storage_bytes: 0 })
    const full = await upload(user, [['file', new Blob([clip]), 'a.mp4']])
    expect(full.status).toBe(429)
    expect(await full.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'storage_bytes', limit: 0 })
    expect(uploadsOf(user)).toEqual([])
    expect((await scope.recordings.list({}, { limit: 10 })).items).toEqual([])
  })

  it('no file is 400, a JSON body 415, no token 401; nothing is stored', async () => {
    const user = await daemon.user('nofile@example.org')
    expect((await upload(user, [['display_name', 'x']])).status).toBe(400)
    expect((await daemon.fetch('/api/v1/recordings', { method: 'POST', token: user.token, body: { display_name: 'x' } })).status).toBe(415)
    expect((await upload(undefined, [['file', new Blob([clip]), 'a.mp4']])).status).toBe(401)
    expect((await upload(user, [['file', new Blob([clip]), 'a.mp4'], ['colour', 'red']])).status).toBe(400)
    expect(uploadsOf(user)).toEqual([])
  })
})

import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTestDaemon, type TestUser } from '../support/daemon.js'

const daemon = useTestDaemon()

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0])
const image = (magic: Buffer, size = 4096) => Buffer.concat([magic, randomBytes(size - magic.length)])

interface Thumb {
  name: string
  scope: 'user' | 'shared'
  content_type: string
  size_bytes: number
  path: string
}

function upload(u: TestUser | undefined, bytes: Buffer, filename = 'picture.png', type = 'image/png') {
  const form = new FormData()
  form.append('file', new Blob([bytes], { type }), filename)
  return fetch(`${daemon.url}/api/v1/thumbnails`, { method: 'POST', headers: u ? { authorization: `Bearer ${u.token}` } : {}, body: form })
}

async function uploaded(u: TestUser, bytes: Buffer, filename?: string, type?: string): Promise<Thumb> {
  const res = await upload(u, bytes, filename, type)
  expect(res.status).toBe(201)
  return (await res.json()) as Thumb
}

const storedBytes = async (u: TestUser) =>
  ((await (await daemon.fetch('/api/v1/users/me/quota', { token: u.token })).json()) as { usage: { storage_bytes: number } }).usage.storage_bytes

describe('/thumbnails', () => {
  it('uploads under a generated name (sniffed type, client name ignored), lists yours and the shared ones, serves the bytes', async () => {
    const alice = await daemon.user('thumbs-alice@example.com')
    const shared = path.join(daemon.app.env.mediaDir, 'shared', 'thumbnails')
    fs.mkdirSync(shared, { recursive: true })
    fs.writeFileSync(path.join(shared, 'logo.png'), image(PNG, 100))
    fs.writeFileSync(path.join(shared, '.hidden.png'), image(PNG, 100))

    const png = image(PNG)
    const first = await uploaded(alice, png, '../../../etc/evil.png')
    expect(first).toMatchObject({ scope: 'user', content_type: 'image/png', size_bytes: png.length })
    expect(first.name).toMatch(/^thumb_[0-9a-z]+\.png$/)
    expect(path.dirname(first.path)).toBe(path.join(daemon.app.env.mediaDir, `user_${alice.id}`, 'thumbnails'))
    expect(fs.readFileSync(first.path).equals(png)).toBe(true)
    // A JPEG sent as "x.png" / image/png is stored as what its bytes say.
    const jpeg = await uploaded(alice, image(JPEG), 'x.png', 'image/png')
    expect(jpeg.name).toMatch(/\.jpg$/)
    expect(jpeg.content_type).toBe('image/jpeg')

    const list = (await (await daemon.fetch('/api/v1/thumbnails', { token: alice.token })).json()) as { items: Thumb[]; next_cursor: string | null }
    expect(list.items.map((t) => [t.name, t.scope]).sort()).toEqual([[first.name, 'user'], [jpeg.name, 'user'], ['logo.png', 'shared']].sort())
    const page1 = (await (await daemon.fetch('/api/v1/thumbnails?limit=2', { token: alice.token })).json()) as { items: Thumb[]; next_cursor: string }
    const page2 = (await (await daemon.fetch(`/api/v1/thumbnails?limit=2&cursor=${page1.next_cursor}`, { token: alice.token })).json()) as { items: Thumb[]; next_cursor: null }
    expect([...page1.items, ...page2.items].map((t) => t.name)).toEqual(list.items.map((t) => t.name))
    expect(page2.next_cursor).toBeNull()

    const got = await daemon.fetch(`/api/v1/thumbnails/${first.name}`, { token: alice.token })
    expect(got.status).toBe(200)
    expect(got.headers.get('content-type')).toBe('image/png')
    expect(got.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true)
    expect((await daemon.fetch('/api/v1/thumbnails/logo.png', { token: alice.token })).status).toBe(200)
    expect((await daemon.fetch('/api/v1/thumbnails/logo.png', { method: 'DELETE', token: alice.token })).status).toBe(403)
  })

  it('refuses what is not a PNG or JPEG (415), over 2 MB (413), not multipart (415), no file (400); exactly 2 MB is fine', async () => {
    const bob = await daemon.user('thumbs-bob@example.com')
    const cases: Array<[Buffer, string, string]> = [
      [Buffer.from('just text, not an image'), 'notes.png', 'image/png'],
      [Buffer.concat([Buffer.from('GIF89a'), randomBytes(100)]), 'anim.gif', 'image/gif'],
      [Buffer.alloc(0), 'empty.png', 'image/png'],
    ]
    for (const [bytes, name, type] of cases) {
      const res = await upload(bob, bytes, name, type)
      expect({ name, status: res.status }).toEqual({ name, status: 415 })
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    }
    const big = await upload(bob, image(PNG, 2 * 1024 * 1024 + 1))
    expect(big.status).toBe(413)
    expect(((await big.json()) as { status: number }).status).toBe(413)
    expect((await daemon.fetch('/api/v1/thumbnails', { method: 'POST', token: bob.token, body: { file: 'x' } })).status).toBe(415)
    const noFile = new FormData()
    noFile.append('note', 'hello')
    expect((await fetch(`${daemon.url}/api/v1/thumbnails`, { method: 'POST', headers: { authorization: `Bearer ${bob.token}` }, body: noFile })).status).toBe(400)
    expect(((await (await daemon.fetch('/api/v1/thumbnails', { token: bob.token })).json()) as { items: Thumb[] }).items.filter((t) => t.scope === 'user')).toEqual([])
    await uploaded(bob, image(PNG, 2 * 1024 * 1024))
  })

  it("another tenant's names are 404, path tricks are 400/404 and never read a file; 401 without a token", async () => {
    const owner = await daemon.user('thumbs-owner@example.com')
    const other = await daemon.user('thumbs-other@example.com')
    const mine = await uploaded(owner, image(PNG))
    expect((await daemon.fetch(`/api/v1/thumbnails/${mine.name}`, { token: other.token })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/thumbnails/${mine.name}`, { method: 'DELETE', token: other.token })).status).toBe(404)
    expect(((await (await daemon.fetch('/api/v1/thumbnails', { token: other.token })).json()) as { items: Thumb[] }).items.map((t) => t.name)).not.toContain(mine.name)
    fs.writeFileSync(path.join(daemon.app.env.mediaDir, 'secret.png'), image(PNG, 64))
    for (const name of [
      `..%2F..%2Fuser_${owner.id}%2Fthumbnails%2F${mine.name}`,
      '..%2Fsecret.png',
      '.hidden.png',
      'secret.png%00.png',
      'a%5C..%5Csecret.png',
      'x'.repeat(100) + '.png',
      'thumb.gif',
    ]) {
      const res = await daemon.fetch(`/api/v1/thumbnails/${name}`, { token: other.token })
      expect({ name, status: res.status }).toEqual({ name, status: 400 })
    }
    expect((await daemon.fetch('/api/v1/thumbnails/secret.png', { token: other.token })).status).toBe(404)
    // The URL parser resolves an encoded `..` itself: the path leaves /thumbnails, so no thumbnail route is reached.
    expect((await daemon.fetch('/api/v1/thumbnails/%2E%2E', { token: other.token })).status).toBe(404)
    expect((await daemon.fetch('/api/v1/thumbnails?cursor=..%2Fx', { token: other.token })).status).toBe(400)
    expect((await upload(undefined, image(PNG))).status).toBe(401)
    expect((await daemon.fetch('/api/v1/thumbnails')).status).toBe(401)
    expect((await daemon.fetch(`/api/v1/thumbnails/${mine.name}`)).status).toBe(401)
    expect((await daemon.fetch(`/api/v1/thumbnails/${mine.name}`, { method: 'DELETE' })).status).toBe(401)
    expect(fs.existsSync(mine.path)).toBe(true)
  })

  it('counts towards the plan storage: a write past the limit is 429 QUOTA_EXCEEDED, a deletion frees its bytes', async () => {
    const admin = await daemon.user('thumbs-admin@example.com', { role: 'admin' })
    const dan = await daemon.user('thumbs-dan@example.com')
    const limit = await daemon.fetch(`/api/v1/admin/users/${dan.id}/subscription`, { method: 'PATCH', token: admin.token, body: { custom_storage_bytes: 6000 } })
    expect(limit.status).toBe(200)
    const t = await uploaded(dan, image(PNG, 4000))
    expect(await storedBytes(dan)).toBe(4000)
    const over = await upload(dan, image(PNG, 2001))
    expect(over.status).toBe(429)
    expect(await over.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: 6000, usage: 4000 })
    expect((await daemon.fetch(`/api/v1/thumbnails/${t.name}`, { method: 'DELETE', token: dan.token })).status).toBe(200)
    expect(await storedBytes(dan)).toBe(0)
    await uploaded(dan, image(PNG, 6000))
  })

  it('DELETE is refused (409, listing them) while a template or your config names the image, unless force=true', async () => {
    const carol = await daemon.user('thumbs-carol@example.com')
    const t = await uploaded(carol, image(JPEG))
    const template = await daemon.fetch('/api/v1/templates', {
      method: 'POST',
      token: carol.token,
      body: { name: 'Talks', matching_rules: { keywords: ['Talk'] }, metadata_config: { youtube: { thumbnail: t.path } }, auto_rematch: false },
    })
    expect(template.status).toBe(201)
    expect((await daemon.fetch('/api/v1/users/me/config', { method: 'PATCH', token: carol.token, body: { metadata: { thumbnail: t.path } } })).status).toBe(200)

    const refused = await daemon.fetch(`/api/v1/thumbnails/${t.name}`, { method: 'DELETE', token: carol.token })
    expect(refused.status).toBe(409)
    const problem = (await refused.json()) as { references: Array<{ kind: string; field: string }> }
    expect(problem.references).toEqual([
      expect.objectContaining({ kind: 'template', field: 'metadata_config.youtube.thumbnail' }),
      expect.objectContaining({ kind: 'config', field: 'metadata.thumbnail' }),
    ])
    expect(fs.existsSync(t.path)).toBe(true)

    const forced = await daemon.fetch(`/api/v1/thumbnails/${t.name}?force=true`, { method: 'DELETE', token: carol.token })
    expect(forced.status).toBe(200)
    expect(await forced.json()).toMatchObject({ name: t.name, removed: true, references: [{ kind: 'template' }, { kind: 'config' }] })
    expect(fs.existsSync(t.path)).toBe(false)
    expect((await daemon.fetch(`/api/v1/thumbnails/${t.name}`, { token: carol.token })).status).toBe(404)
  })
})

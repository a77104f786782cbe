import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { downloadResumable } from '../../../src/platform/resumable-download.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { startZoomStorageFake, type ZoomStorageFake } from '../../fakes/zoom-storage.js'

/*
 * The resumable downloader against the Zoom storage fake (a real web host that redirects to a real storage host
 * on another origin): cuts, resumes with Range, the token kept off the storage host, a refused token refreshed
 * once, the size held to what the listing said.
 */

const TOKEN = 'token-1'
const bytesOf = (n: number, seed: string) => {
  const out = Buffer.alloc(n)
  for (let at = 0; at < n; at += 32) crypto.createHash('sha256').update(`${seed}:${at}`).digest().copy(out, at)
  return out
}

describe('downloadResumable', () => {
  let fake: ZoomStorageFake
  let dir: string
  let n = 0
  const fresh = (size: number) => {
    const id = `file-${++n}`
    const bytes = bytesOf(size, id)
    return { id, bytes, ...fake.addFile(id, bytes), part: path.join(dir, `${id}.download`) }
  }
  const token = async () => TOKEN
  const storageRanges = () => fake.requests.filter((r) => r.host === 'storage').map((r) => r.headers.range ?? null)

  beforeAll(async () => {
    fake = await startZoomStorageFake({ tokens: [TOKEN] })
    dir = makeTempDir()
  })
  afterAll(async () => {
    await fake.close()
    removeDir(dir)
  })

  it('follows the redirect to the storage host without the Authorization header and yields the exact bytes', async () => {
    const f = fresh(300_000)
    fake.requests.length = 0
    const result = await downloadResumable({ url: f.download_url, expectedSize: f.file_size, partPath: f.part, token })
    expect(fs.readFileSync(f.part).equals(f.bytes)).toBe(true)
    expect(result).toMatchObject({ bytes: 300_000, resumedFrom: 0, requests: 2 })
    const [web, storage] = fake.requests
    expect(web).toMatchObject({ host: 'web' })
    expect(web!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(storage).toMatchObject({ host: 'storage' })
    expect(storage!.headers.authorization).toBeUndefined()
  })

  it('resumes a download cut at 70 % from the cut, with Range, and yields the exact bytes', async () => {
    const f = fresh(1_000_000)
    const cut = 700_000
    fake.cutAt(f.id, cut)
    fake.requests.length = 0
    const seen: number[] = []
    const result = await downloadResumable({ url: f.download_url, expectedSize: f.file_size, partPath: f.part, token, onProgress: (p) => seen.push(p.bytes) })
    expect(storageRanges()).toEqual([null, `bytes=${cut}-`])
    // Both tries start at the download URL: a signed URL may have expired by the time a resume comes.
    expect(fake.requests.map((r) => r.host)).toEqual(['web', 'storage', 'web', 'storage'])
    expect(fs.readFileSync(f.part).equals(f.bytes)).toBe(true)
    expect(result.bytes).toBe(1_000_000)
    expect(seen.at(-1)).toBe(1_000_000)
    expect(seen).toContain(cut)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
  })

  it('resumes a partial file a cancelled call left, from its size', async () => {
    const f = fresh(800_000)
    fake.throttle(2_000_000)
    const abort = new AbortController()
    let progressed = 0
    const first = downloadResumable({
      url: f.download_url, expectedSize: f.file_size, partPath: f.part, token, signal: abort.signal,
      onProgress: (p) => {
        progressed = p.bytes
        if (p.bytes >= 200_000) abort.abort()
      },
    })
    await expect(first).rejects.toMatchObject({ code: 'cancelled' })
    fake.throttle(undefined)
    const kept = fs.statSync(f.part).size
    expect(kept).toBeGreaterThanOrEqual(200_000)
    expect(kept).toBe(progressed)
    expect(kept).toBeLessThan(800_000)
    fake.requests.length = 0
    const result = await downloadResumable({ url: f.download_url, expectedSize: f.file_size, partPath: f.part, token })
    expect(result.resumedFrom).toBe(kept)
    expect(storageRanges()).toEqual([`bytes=${kept}-`])
    expect(fs.readFileSync(f.part).equals(f.bytes)).toBe(true)
  })

  it('asks for a fresh token once after a 401 from the download host', async () => {
    const f = fresh(50_000)
    const asked: Array<boolean | undefined> = []
    const rotating = async (o: { forceRefresh?: boolean }) => {
      asked.push(o.forceRefresh)
      return o.forceRefresh ? TOKEN : 'expired-token'
    }
    await downloadResumable({ url: f.download_url, expectedSize: f.file_size, partPath: f.part, token: rotating })
    expect(asked).toEqual([false, true])
    expect(fs.readFileSync(f.part).equals(f.bytes)).toBe(true)
  })

  it('fails with code auth and the hint when a fresh token is refused too, leaving no file', async () => {
    const f = fresh(50_000)
    const err = await downloadResumable({
      url: f.download_url, expectedSize: f.file_size, partPath: f.part, token: async () => 'revoked', authHint: 'run `recflow auth zoom`',
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect(err).toMatchObject({ code: 'auth', hint: 'run `recflow auth zoom`' })
    expect((err as Error).message).not.toContain('revoked')
    expect(fs.existsSync(f.part)).toBe(false)
  })

  it('gets a new signed URL from the download host when the storage host refuses one, and waits out a 503', async () => {
    const f = fresh(400_000)
    fake.failNext(403)
    fake.failNext(503, { 'retry-after': '0' })
    fake.requests.length = 0
    await downloadResumable({ url: f.download_url, expectedSize: f.file_size, partPath: f.part, token, baseDelayMs: 1 })
    expect(fake.requests.map((r) => r.host)).toEqual(['web', 'storage', 'web', 'storage', 'web', 'storage'])
    expect(fs.readFileSync(f.part).equals(f.bytes)).toBe(true)
  })

  it('gives up after the tries that gain nothing, keeping what it has', async () => {
    const f = fresh(100_000)
    fake.cutAt(f.id, 40_000)
    let injected = false
    const onProgress = (p: { bytes: number }) => {
      if (p.bytes < 40_000 || injected) return
      injected = true
      for (let i = 0; i < 3; i++) fake.failNext(503)
    }
    const err = await downloadResumable({ url: f.download_url, expectedSize: f.file_size, partPath: f.part, token, maxStalls: 3, baseDelayMs: 1, onProgress }).catch(
      (e: unknown) => e,
    )
    expect(err).toMatchObject({ code: 'provider' })
    expect((err as Error).message).toContain('stopped at 40000 of 100000 bytes')
    expect(fs.statSync(f.part).size).toBe(40_000)
  })

  it('refuses a file larger than the listed size and never writes past it', async () => {
    const f = fresh(60_000)
    const err = await downloadResumable({ url: f.download_url, expectedSize: 50_000, partPath: f.part, token }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'provider' })
    expect((err as Error).message).toContain('60000 bytes')
    expect(fs.existsSync(f.part) ? fs.statSync(f.part).size : 0).toBeLessThanOrEqual(50_000)
  })

  it('keeps memory flat: a 64 MB file never lives in memory', async () => {
    const id = `big-${++n}`
    const bytes = crypto.randomBytes(64 * 1024 * 1024)
    const { download_url, file_size } = fake.addFile(id, bytes)
    const part = path.join(dir, `${id}.download`)
    const base = process.memoryUsage().rss
    let peak = base
    await downloadResumable({
      url: download_url, expectedSize: file_size, partPath: part, token,
      onProgress: (p) => {
        if (p.bytes % (4 * 1024 * 1024) < 65_536) peak = Math.max(peak, process.memoryUsage().rss)
      },
    })
    peak = Math.max(peak, process.memoryUsage().rss)
    // The fake's copy of the file is allocated before `base`; a client that buffered the body would add 64 MB and
    // more. What is measured here is socket buffers and chunks not yet collected (about 25 MB).
    expect(peak - base).toBeLessThan(40 * 1024 * 1024)
    expect(fs.statSync(part).size).toBe(file_size)
    const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')
    expect(sha(fs.readFileSync(part))).toBe(sha(bytes))
    fs.rmSync(part)
  })

  it('does not send a request when the partial file is already complete', async () => {
    const f = fresh(10_000)
    fs.writeFileSync(f.part, f.bytes)
    fake.requests.length = 0
    const result = await downloadResumable({ url: f.download_url, expectedSize: f.file_size, partPath: f.part, token })
    expect(result).toMatchObject({ bytes: 10_000, resumedFrom: 10_000, requests: 0 })
    expect(fake.requests).toEqual([])
  })

  it('fails with not_found for a file the host no longer has', async () => {
    await expect(
      downloadResumable({ url: `${fake.webUrl}/rec/download/nope`, expectedSize: 10, partPath: path.join(dir, 'nope.download'), token }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })
})

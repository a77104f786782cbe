import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A folder with `lecture.mp4` of `size` random bytes (and its SHA-256) and a small JPEG `thumb.jpg`, for uploader tests. */
export function randomUploadFiles(prefix: string, size: number): { dir: string; media: string; mediaSha: string; thumb: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  const media = path.join(dir, 'lecture.mp4')
  const bytes = crypto.randomBytes(size)
  fs.writeFileSync(media, bytes)
  const thumb = path.join(dir, 'thumb.jpg')
  fs.writeFileSync(thumb, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(2000)]))
  return { dir, media, mediaSha: crypto.createHash('sha256').update(bytes).digest('hex'), thumb }
}

import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import path from 'node:path'

/*
 * A multipart/form-data POST of one file, streamed from disk in constant memory (API-CONTRACTS.md §C.5: the
 * `video_file` field to the pre-signed upload_url; the thumbnail upload takes `file`). The body is the part
 * header, the file read in 1 MiB pieces, and the closing boundary; its Content-Length is computed up front, so no
 * chunked encoding. `onSent` counts the file's bytes as they are written.
 */

export interface MultipartAnswer {
  status: number
  text: string
}

export interface MultipartFile {
  field: string
  file: string
  contentType: string
}

export async function postMultipartFile(
  url: string,
  part: MultipartFile,
  opts: { signal?: AbortSignal; onSent?: (bytes: number, total: number) => void } = {},
): Promise<MultipartAnswer> {
  const size = (await fs.promises.stat(part.file)).size
  const boundary = `----recflow${crypto.randomBytes(12).toString('hex')}`
  const name = path.basename(part.file).replace(/["\r\n]/g, '_')
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"; filename="${name}"\r\nContent-Type: ${part.contentType}\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const target = new URL(url)
  const client = target.protocol === 'https:' ? https : http

  return new Promise<MultipartAnswer>((resolve, reject) => {
    const req = client.request(target, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + size + tail.length), accept: 'application/json' },
      signal: opts.signal,
    })
    const input = fs.createReadStream(part.file, { highWaterMark: 1024 * 1024 })
    const fail = (e: unknown) => {
      input.destroy()
      req.destroy()
      reject(e instanceof Error ? e : new Error(String(e)))
    }
    req.on('error', fail)
    input.on('error', fail)
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', fail)
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    })
    let sent = 0
    req.write(head)
    input.on('data', (chunk) => {
      sent += chunk.length
      if (!req.write(chunk)) {
        input.pause()
        req.once('drain', () => input.resume())
      }
      opts.onSent?.(sent, size)
    })
    input.on('end', () => req.end(tail))
  })
}

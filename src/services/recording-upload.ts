import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { LOCAL_USER_EMAIL, type Recording } from '../db/index.js'
import { RecflowError, usageError } from '../domain/errors.js'
import { availability } from '../domain/quota/index.js'
import { containerFromSignature } from '../media/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { importRecordingService, type ImportResult } from './import-recording.js'
import { userMediaDir } from './pipeline/recording-files.js'
import { describeBytes } from './quota/describe.js'
import { userPlan } from './quota/effective-limits.js'
import { measureRecordingStorage } from './quota/storage.js'

/** One part of a multipart upload, in the order the client sent them. */
export type UploadPart = { kind: 'file'; field: string; filename: string; stream: Readable } | { kind: 'field'; name: string; value: string }

export type UploadOutcome =
  | { kind: 'imported'; recording: Recording; result: ImportResult }
  | { kind: 'refused'; reason: 'too_large' | 'not_media'; message: string; hint: string }

/** Bytes read before the container is judged (a signature needs at most 377). */
const SNIFF_BYTES = 4096

/** File extensions by the container the first bytes announce (the pipeline names its outputs after the original's). */
const EXTENSIONS: Record<string, string> = {
  mp4: '.mp4', matroska: '.mkv', wav: '.wav', avi: '.avi', aiff: '.aiff', mp3: '.mp3', ogg: '.ogg', flac: '.flac',
  caf: '.caf', flv: '.flv', asf: '.asf', mpeg: '.mpg', mpegts: '.ts', amr: '.amr', aac: '.aac',
}

/** Where uploads are kept: under the user's media folder (counted in their storage, removed with the account). */
export const uploadsDir = (mediaDir: string, userId: number) => path.join(userMediaDir(mediaDir, userId), 'uploads')

/**
 * The bytes the user's plan still lets them store (null: unlimited; the CLI's own user always). Storage used up is
 * a `quota` refusal (429 QUOTA_EXCEEDED) before a byte is read.
 */
interface Room {
  left: number
  limit: number
  used: number
}

async function storageRoom(deps: ServiceDeps, user: UserRef): Promise<Room | null> {
  const scope = deps.scopes.forUser(user.id)
  if ((await scope.profile.get())?.email === LOCAL_USER_EMAIL) return null
  const [{ limits }, used] = await Promise.all([userPlan(scope), scope.quota.storedBytes()])
  const room = availability(limits.storage_bytes, used)
  if (room.exhausted) throw storageFull(used, room.limit ?? 0)
  return room.remaining === null ? null : { left: room.remaining, limit: room.limit ?? 0, used }
}

function storageFull(usage: number, limit: number, tooBig = false): RecflowError {
  const what = !tooBig ? '' : `the file is larger than the ${describeBytes(limit - usage)} left: `
  return new RecflowError('quota', `${what}your media takes ${describeBytes(usage)} and your plan allows ${describeBytes(limit)}`, {
    hint: 'delete recordings you no longer need (DELETE /api/v1/recordings/{id}), or ask an administrator for more storage',
    details: { quota: 'storage_bytes', limit, usage },
  })
}

interface Received {
  file: string
  bytes: number
}

/**
 * Streams one uploaded file to a generated name in the user's uploads folder (the client's name never touches the
 * disk), judging the first bytes by their container signature. Past `maxBytes`, or not media, the rest of the
 * stream is read and dropped (so the client gets its answer) and the partial file is removed; so it is on any error.
 */
async function receive(
  deps: ServiceDeps,
  user: UserRef,
  stream: Readable,
  limits: { maxBytes: number; room: Room | null },
): Promise<Received | Extract<UploadOutcome, { kind: 'refused' }>> {
  const { maxBytes, room } = limits
  const dir = uploadsDir(deps.env.mediaDir, user.id)
  await fs.mkdir(dir, { recursive: true })
  const base = `upload-${deps.clock.now().getTime()}-${randomBytes(6).toString('hex')}`
  const part = path.join(dir, `${base}.part`)
  const out = createWriteStream(part, { flags: 'wx' })
  let bytes = 0
  let head = Buffer.alloc(0)
  let container: string | undefined
  let refused: 'too_large' | 'not_media' | 'storage' | undefined
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (refused) continue
      bytes += chunk.length
      if (bytes > maxBytes || (room !== null && bytes > room.left)) {
        refused = bytes > maxBytes ? 'too_large' : 'storage'
        continue
      }
      if (container === undefined && head.length < SNIFF_BYTES) {
        head = Buffer.concat([head, chunk])
        if (head.length >= SNIFF_BYTES) {
          container = containerFromSignature(head)
          if (container === undefined) refused = 'not_media'
        }
      }
      if (!refused && !out.write(chunk)) await once(out, 'drain')
    }
    if (!refused && container === undefined) {
      container = containerFromSignature(head)
      if (container === undefined) refused = 'not_media'
    }
    out.end()
    await once(out, 'close')
  } catch (e) {
    out.destroy()
    await fs.rm(part, { force: true })
    throw e
  }
  if (refused) {
    await fs.rm(part, { force: true })
    if (refused === 'storage') throw storageFull(room!.used, room!.limit, true)
    return refused === 'too_large'
      ? { kind: 'refused', reason: 'too_large', message: `the file is larger than the ${maxBytes} bytes an upload may have`, hint: 'trim or compress it, or add it with `recflow recordings add` on the server' }
      : { kind: 'refused', reason: 'not_media', message: 'the file is not an audio or video container recflow knows (its first bytes say otherwise)', hint: 'upload an mp4, m4a, mkv, webm, mov, mp3, wav, ogg or flac file' }
  }
  const file = path.join(dir, `${base}${EXTENSIONS[container!] ?? '.bin'}`)
  await fs.rename(part, file)
  return { file, bytes }
}

/** A display name from the client's file name: its base name without the extension (never used as a path). */
const nameFromClient = (filename: string) => path.basename(filename.replaceAll('\\', '/')).replace(/\.[^.]*$/, '').replaceAll('_', ' ').trim()

/**
 * `POST /recordings`: one uploaded media file as a recording, by the same import as `recflow recordings add`
 * (probed, template-matched). Parts: `file` (exactly one) and an optional `display_name`, in any order.
 */
export function recordingUploadService(deps: ServiceDeps) {
  const imports = importRecordingService(deps)

  return {
    async upload(user: UserRef, parts: AsyncIterable<UploadPart>, opts: { maxBytes: number }): Promise<UploadOutcome> {
      let received: Received | undefined
      let clientName = ''
      let displayName: string | undefined
      const room = await storageRoom(deps, user)
      try {
        for await (const p of parts) {
          if (p.kind === 'field') {
            if (p.name !== 'display_name') throw usageError(`unknown form field "${p.name}"`, 'send `file` and optionally `display_name`')
            displayName = p.value
            continue
          }
          if (p.field !== 'file' || received) {
            p.stream.resume()
            throw usageError(received ? 'only one file per upload' : `unknown file field "${p.field}"`, 'send the media as the form field `file`')
          }
          const got = await receive(deps, user, p.stream, { maxBytes: opts.maxBytes, room })
          if ('kind' in got) return got
          received = got
          clientName = nameFromClient(p.filename)
        }
        if (!received) throw usageError('no file in the upload', 'send the media as the multipart form field `file`')
        const name = displayName ?? (clientName === '' ? undefined : clientName)
        const result = await imports.importFile(user, { file: received.file, name })
        await measureRecordingStorage(deps, user, result.recording.id)
        if (result.failure !== undefined) {
          throw new RecflowError('validation', result.failure, {
            hint: `it is kept as recording ${result.recording.id} (failed); upload another file, or delete this one with DELETE /api/v1/recordings/${result.recording.id}`,
            details: { recording_id: result.recording.id },
          })
        }
        return { kind: 'imported', recording: result.recording, result }
      } catch (e) {
        // Not imported: the stored file goes too (a failed import keeps it, with its recording).
        if (received && !(e instanceof RecflowError && e.code === 'validation' && (e.details as { recording_id?: number } | undefined)?.recording_id !== undefined)) {
          await fs.rm(received.file, { force: true })
        }
        throw e
      }
    },
  }
}

export type RecordingUploadService = ReturnType<typeof recordingUploadService>

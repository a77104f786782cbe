import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { notFound, RecflowError, validationError } from '../domain/errors.js'
import { sniffImageType, THUMBNAIL_MAX_BYTES, THUMBNAIL_NAME } from '../domain/publish/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { listAll, type ListOptions } from './paging.js'
import { userMediaDir } from './pipeline/recording-files.js'
import { describeBytes } from './quota/describe.js'
import { userPlan } from './quota/effective-limits.js'
import { addStorage } from './quota/storage.js'

export interface Thumbnail {
  name: string
  /** `user`: yours (uploaded, deletable); `shared`: the operator's, for everyone (read only). */
  scope: 'user' | 'shared'
  content_type: 'image/png' | 'image/jpeg'
  size_bytes: number
  modified_at: string
  /** The file to name in a preset's or template's `thumbnail` field. */
  path: string
}

export interface ThumbnailReference {
  kind: 'preset' | 'template' | 'config'
  id?: number
  name: string
  field: string
}

const LIST_HINT = 'run `GET /api/v1/thumbnails` to see your thumbnails'
const contentTypeOf = (name: string) => (/\.png$/i.test(name) ? ('image/png' as const) : ('image/jpeg' as const))

function checkName(name: string): string {
  if (!THUMBNAIL_NAME.test(name)) throw new RecflowError('usage', `"${name.slice(0, 120)}" is not a thumbnail name`, { hint: LIST_HINT })
  return name
}

/** Paths of every string in `doc` whose file name is `name` (a preset or template naming the thumbnail). */
function mentions(doc: unknown, name: string, at = ''): string[] {
  if (typeof doc === 'string') return path.basename(doc) === name ? [at] : []
  if (Array.isArray(doc)) return doc.flatMap((v, i) => mentions(v, name, `${at}[${i}]`))
  if (doc !== null && typeof doc === 'object') return Object.entries(doc).flatMap(([k, v]) => mentions(v, name, at ? `${at}.${k}` : k))
  return []
}

/**
 * The caller's thumbnail images (`media/user_<id>/thumbnails/`) and the shared ones (`media/shared/thumbnails/`,
 * placed by the operator). Uploads are sniffed by their first bytes, get a generated name and never touch a path
 * a client chose; reads and deletions take a name that can only resolve inside those two folders. Your images
 * count towards your plan's storage (checked before a write, moved after it and after a deletion).
 */
export function thumbnailsService(deps: ServiceDeps) {
  const { env, scopes, clock } = deps
  const userDir = (user: UserRef) => path.join(userMediaDir(env.mediaDir, user.id), 'thumbnails')
  const sharedDir = path.join(env.mediaDir, 'shared', 'thumbnails')

  /** A regular file (not a link) of that name in `dir`, or undefined. */
  const fileIn = async (dir: string, name: string, scope: Thumbnail['scope']): Promise<Thumbnail | undefined> => {
    const file = path.join(dir, name)
    try {
      const stat = await fs.lstat(file)
      if (!stat.isFile()) return undefined
      return { name, scope, content_type: contentTypeOf(name), size_bytes: stat.size, modified_at: stat.mtime.toISOString(), path: file }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
      throw e
    }
  }

  const namesIn = async (dir: string): Promise<string[]> => {
    try {
      return (await fs.readdir(dir)).filter((n) => THUMBNAIL_NAME.test(n))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw e
    }
  }

  /** Yours first, then the shared folder (a name of yours hides a shared one of the same name). */
  const find = async (user: UserRef, name: string) => (await fileIn(userDir(user), checkName(name), 'user')) ?? (await fileIn(sharedDir, name, 'shared'))

  const references = async (user: UserRef, name: string): Promise<ThumbnailReference[]> => {
    const scope = scopes.forUser(user.id)
    const found: ThumbnailReference[] = []
    for (const p of await listAll((page) => scope.presets.list({}, page))) {
      for (const field of mentions(p.preset_metadata, name)) found.push({ kind: 'preset', id: p.id, name: p.name, field: `preset_metadata.${field}` })
    }
    for (const t of await listAll((page) => scope.templates.list({ includeDrafts: true }, page))) {
      const docs = { metadata_config: t.metadata_config, output_config: t.output_config, processing_config: t.processing_config }
      for (const field of mentions(docs, name)) found.push({ kind: 'template', id: t.id, name: t.name, field })
    }
    for (const field of mentions((await scope.configs.get())?.config, name)) found.push({ kind: 'config', name: 'your config', field })
    return found
  }

  return {
    /** Yours and the shared ones, by name; `cursor` is the last name of the previous page. */
    async list(user: UserRef, opts: ListOptions = {}): Promise<{ items: Thumbnail[]; nextCursor: string | null }> {
      const limit = opts.limit ?? 20
      const after = opts.cursor == null ? undefined : checkName(opts.cursor)
      const names = new Map<string, Thumbnail['scope']>()
      for (const n of await namesIn(sharedDir)) names.set(n, 'shared')
      for (const n of await namesIn(userDir(user))) names.set(n, 'user')
      const page = [...names.keys()].sort().filter((n) => after === undefined || n > after)
      const items: Thumbnail[] = []
      for (const n of page) {
        if (items.length === limit) break
        const scope = names.get(n) as Thumbnail['scope']
        const t = await fileIn(scope === 'user' ? userDir(user) : sharedDir, n, scope)
        if (t) items.push(t)
      }
      const last = items.at(-1)
      return { items, nextCursor: last !== undefined && page.some((n) => n > last.name) ? last.name : null }
    },

    /** Stores a PNG or JPEG (by its first bytes) of at most 2 MB under a generated name. */
    async save(user: UserRef, bytes: Uint8Array): Promise<Thumbnail> {
      if (bytes.length > THUMBNAIL_MAX_BYTES) throw validationError(`the image is ${bytes.length} bytes; thumbnails are at most ${THUMBNAIL_MAX_BYTES} bytes (2 MB)`)
      const type = sniffImageType(bytes)
      if (type === null) throw validationError('the file is neither a PNG nor a JPEG image', 'upload a .png or .jpg file of at most 2 MB')
      const scope = scopes.forUser(user.id)
      const [{ limits }, stored] = await Promise.all([userPlan(scope), scope.quota.storedBytes()])
      if (limits.storage_bytes !== null && stored + bytes.length > limits.storage_bytes) {
        throw new RecflowError('quota', `your media takes ${describeBytes(stored)} and your plan allows ${describeBytes(limits.storage_bytes)}: no room for this image`, {
          hint: 'delete thumbnails or recordings you no longer need, or ask an administrator for more storage',
          details: { quota: 'storage_bytes', limit: limits.storage_bytes, usage: stored },
        })
      }
      const dir = userDir(user)
      await fs.mkdir(dir, { recursive: true, mode: 0o700 })
      const name = `thumb_${clock.now().getTime().toString(36)}${randomBytes(8).toString('hex')}.${type === 'image/png' ? 'png' : 'jpg'}`
      await fs.writeFile(path.join(dir, name), bytes, { flag: 'wx', mode: 0o600 })
      await addStorage(deps, user, bytes.length)
      return (await fileIn(dir, name, 'user')) as Thumbnail
    },

    /** The image's bytes: yours, else a shared one of that name. */
    async read(user: UserRef, name: string): Promise<{ thumbnail: Thumbnail; bytes: Buffer }> {
      const thumbnail = await find(user, name)
      if (!thumbnail) throw notFound('thumbnail', name, LIST_HINT)
      return { thumbnail, bytes: await fs.readFile(thumbnail.path) }
    },

    references,

    /**
     * Deletes one of your thumbnails; refused (conflict, listing them) while a preset, a template or your config
     * names it, unless `force` (they are left naming a missing file: publishing then goes without it).
     */
    async remove(user: UserRef, name: string, opts: { force?: boolean } = {}): Promise<{ name: string; removed: true; references: ThumbnailReference[] }> {
      const thumbnail = await fileIn(userDir(user), checkName(name), 'user')
      if (!thumbnail) {
        if (await fileIn(sharedDir, name, 'shared')) throw new RecflowError('forbidden', `thumbnail ${name} is a shared one; only the operator removes it`)
        throw notFound('thumbnail', name, LIST_HINT)
      }
      const refs = await references(user, name)
      if (refs.length > 0 && !opts.force) {
        const who = refs.map((r) => `${r.kind} ${r.id ?? ''} "${r.name}" (${r.field})`.replace('  ', ' ')).join(', ')
        throw new RecflowError('conflict', `thumbnail ${name} is used by ${who}`, { hint: 'change those first, or delete with force=true', details: { references: refs } })
      }
      await fs.rm(thumbnail.path, { force: true })
      await addStorage(deps, user, -thumbnail.size_bytes)
      return { name, removed: true, references: refs }
    },
  }
}

export type ThumbnailsService = ReturnType<typeof thumbnailsService>

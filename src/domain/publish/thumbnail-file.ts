import type { ImageType } from './publish-files.js'

/** The largest thumbnail accepted (YouTube's limit, API-CONTRACTS.md B.5). */
export const THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024

/**
 * A stored thumbnail's name: letters, digits, `_` and `-`, one extension. No separator, no leading dot, no `..`:
 * a name can only ever be a file directly inside a thumbnail folder. Uploads get generated names (`thumb_<hex>.png`).
 */
export const THUMBNAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,98}\.(png|jpg|jpeg)$/

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG = [0xff, 0xd8, 0xff]

const startsWith = (bytes: Uint8Array, magic: number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)

/** PNG or JPEG by the file's first bytes (never by a name or a client's content type); null for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, PNG)) return 'image/png'
  if (startsWith(bytes, JPEG)) return 'image/jpeg'
  return null
}

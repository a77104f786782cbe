import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { RecflowError } from '../domain/errors.js'
import { ensureDir, writeFileAtomicSync } from './atomic-fs.js'
import { withFileLock } from './file-lock.js'

/**
 * The keys that seal credential secrets into their database rows in daemon mode (DESIGN.md §5): AES-256-GCM
 * keys of their own (never derived from the token-signing secret), kept in a 0600 JSON file in the config dir,
 * `{"version": 1, "current": "k2", "keys": {"k1": <base64>, "k2": <base64>}}`. Rotation adds a key and makes it
 * current; the old ones stay so rows sealed with them can still be opened (and re-sealed). The file is read on
 * every use, so a rotation by another process (`recflow daemon rotate-key`) is seen at once.
 */
export interface SealedSecret {
  /** The key that sealed it, e.g. `k1`. */
  keyId: string
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  sealed: string
}

export interface KeyringStatus {
  file: string
  /** null: no key yet (made by the first sealed write or `daemon start`). */
  current: string | null
  keys: string[]
  /** Octal mode of the key file, e.g. "0600"; null while there is none. */
  mode: string | null
}

interface KeyFile {
  version: 1
  current: string
  keys: Record<string, string>
}

const FORMAT = 'v1'
const b64url = (b: Buffer) => b.toString('base64url')

export class CredentialKeyring {
  readonly file: string

  constructor(configDir: string) {
    this.file = path.join(configDir, 'credential-keys.json')
  }

  private read(): KeyFile | undefined {
    let text: string
    try {
      text = fs.readFileSync(this.file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new RecflowError('internal', `the credential key file ${this.file} cannot be read: ${(e as Error).message}`, {
        hint: `check its owner and mode (\`ls -l ${this.file}\`): recflow needs to read it`,
      })
    }
    try {
      const doc = JSON.parse(text) as KeyFile
      const valid =
        doc.version === 1 &&
        typeof doc.keys === 'object' &&
        doc.keys !== null &&
        typeof doc.current === 'string' &&
        Object.values(doc.keys).every((k) => typeof k === 'string' && Buffer.from(k, 'base64').length === 32) &&
        doc.current in doc.keys
      if (!valid) throw new Error('unknown format')
      return doc
    } catch (e) {
      throw new RecflowError('internal', `the credential key file ${this.file} is damaged (${(e as Error).message})`, {
        hint: 'restore it from a backup; without it the credentials sealed in the database cannot be read',
      })
    }
  }

  private write(doc: KeyFile): void {
    ensureDir(path.dirname(this.file), 0o700)
    writeFileAtomicSync(this.file, JSON.stringify(doc, null, 1) + '\n', 0o600)
  }

  private locked<T>(fn: () => T): Promise<T> {
    ensureDir(path.dirname(this.file), 0o700)
    return withFileLock(`${this.file}.lock`, fn)
  }

  /** The key file, made with a first key when there is none (two first callers agree on one key). */
  async ensure(): Promise<KeyringStatus> {
    if (!this.read()) {
      await this.locked(() => {
        if (!this.read()) this.write({ version: 1, current: 'k1', keys: { k1: crypto.randomBytes(32).toString('base64') } })
      })
    }
    return this.status()
  }

  status(): KeyringStatus {
    const doc = this.read()
    let mode: string | null = null
    try {
      mode = `0${(fs.statSync(this.file).mode & 0o777).toString(8).padStart(3, '0')}`
    } catch {
      // no file yet
    }
    return { file: this.file, current: doc?.current ?? null, keys: doc ? Object.keys(doc.keys) : [], mode }
  }

  /** A new key becomes current (the first one when there is none); the old keys stay for reading. */
  async rotate(): Promise<{ current: string; previous: string | null; keys: string[] }> {
    return this.locked(() => {
      const doc = this.read()
      const previous = doc?.current ?? null
      const keys = { ...doc?.keys }
      let n = Object.keys(keys).length + 1
      while (`k${n}` in keys) n++
      const id = `k${n}`
      keys[id] = crypto.randomBytes(32).toString('base64')
      this.write({ version: 1, current: id, keys })
      return { current: id, previous, keys: Object.keys(keys) }
    })
  }

  /** The current key's id, or undefined when no key exists yet. */
  currentKeyId(): string | undefined {
    return this.read()?.current
  }

  /** Seals `plaintext` with the current key (made first when there is none), bound to `aad`. */
  async seal(plaintext: string, aad: string): Promise<SealedSecret> {
    const doc = this.read() ?? (await this.ensure(), this.read()!)
    const key = Buffer.from(doc.keys[doc.current]!, 'base64')
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(Buffer.from(aad))
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return { keyId: doc.current, sealed: [FORMAT, b64url(iv), b64url(cipher.getAuthTag()), b64url(data)].join('.') }
  }

  /**
   * Opens what `seal` made with key `keyId` and the same `aad`. Throws (never with the secret) when the key is
   * unknown, or the text was altered, moved to another owner, or sealed with another key.
   */
  open(keyId: string, sealed: string, aad: string): string {
    const doc = this.read()
    const encoded = doc?.keys[keyId]
    if (encoded === undefined) {
      throw new RecflowError('internal', `the credential key "${keyId}" is not in ${this.file}`, {
        hint: 'restore the key file from a backup, or add the credential again',
      })
    }
    const parts = sealed.split('.')
    try {
      if (parts.length !== 4 || parts[0] !== FORMAT) throw new Error('not sealed')
      const decipher = crypto.createDecipheriv('aes-256-gcm', Buffer.from(encoded, 'base64'), Buffer.from(parts[1]!, 'base64url'), { authTagLength: 16 })
      decipher.setAAD(Buffer.from(aad))
      decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8')
    } catch {
      throw new RecflowError('internal', `a sealed credential cannot be decrypted with key "${keyId}" (altered, moved, or sealed with another key)`)
    }
  }
}

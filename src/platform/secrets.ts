import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { AsyncEntry } from '@napi-rs/keyring'
import { isRecflowError, RecflowError } from '../domain/errors.js'
import { writeFileAtomicSync } from './atomic-fs.js'
import { withFileLock } from './file-lock.js'
import type { SecretStorePreference } from './config.js'

/**
 * Where the CLI keeps platform tokens and API keys (DESIGN.md §5): the OS keychain when one is usable, else an
 * AES-256-GCM encrypted file in the config dir with a separate 0600 key file.
 */
export interface SecretStore {
  readonly kind: 'keychain' | 'encrypted-file'
  /** Human description for `doctor` (never contains a secret). */
  readonly description: string
  get(name: string): Promise<string | undefined>
  set(name: string, value: string): Promise<void>
  delete(name: string): Promise<boolean>
  /** For `doctor`: whether every stored secret can be read, and (for files) the real modes. Never writes. */
  health(): Promise<SecretStoreHealth>
}

export interface SecretStoreHealth {
  ok: boolean
  detail: string
  hint?: string
  /** Octal modes of the files and folder that hold the secrets, e.g. {"secrets.key": "0600"}. */
  modes?: Record<string, string>
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`
// Group or other may read (or write, or enter): a secret is the owner's alone.
const loose = (mode: number) => (mode & 0o077) !== 0

const SERVICE = 'recflow'

class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const
  readonly description: string
  constructor(private readonly platform: NodeJS.Platform) {
    this.description = platform === 'linux' ? 'OS keychain (Secret Service)' : 'OS keychain'
  }
  private entry(name: string) {
    // On Linux pin the Secret Service: the kernel keyring fallback is not persistent and often denied.
    return new AsyncEntry(SERVICE, name, this.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined)
  }
  async get(name: string) {
    return (await this.entry(name).getPassword()) ?? undefined
  }
  async set(name: string, value: string) {
    await this.entry(name).setPassword(value)
  }
  async delete(name: string) {
    return this.entry(name).deleteCredential()
  }
  async health(): Promise<SecretStoreHealth> {
    try {
      await this.get('__recflow_probe__')
      return { ok: true, detail: this.description }
    } catch (e) {
      return { ok: false, detail: `${this.description} cannot be read: ${(e as Error).message}`, hint: 'unlock the keychain, or set RECFLOW_SECRET_STORE=file' }
    }
  }
}

interface EncryptedEntry {
  iv: string
  tag: string
  data: string
}
interface SecretsFile {
  version: 1
  entries: Record<string, EncryptedEntry>
}

export class EncryptedFileStore implements SecretStore {
  readonly kind = 'encrypted-file' as const
  readonly description: string
  private readonly file: string
  private readonly keyFile: string

  constructor(configDir: string) {
    this.file = path.join(configDir, 'secrets.enc.json')
    this.keyFile = path.join(configDir, 'secrets.key')
    // No mode here: health() reports the real ones (a fixed "0600" would contradict a loosened key file).
    this.description = `encrypted file ${this.file} (AES-256-GCM, key in ${this.keyFile})`
  }

  private key(create: boolean): Buffer | undefined {
    let text: string
    try {
      text = fs.readFileSync(this.keyFile, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(this.keyFile, e)
      if (!create) return undefined
      return this.createKey()
    }
    const key = Buffer.from(text.trim(), 'base64')
    if (key.length !== 32) {
      throw new RecflowError('internal', `the secret key file ${this.keyFile} is damaged`, {
        hint: 'restore it from a backup; without it the stored secrets cannot be read',
      })
    }
    return key
  }

  /**
   * Writes a new key, complete, to a private temporary file, then links it into place: link(2) fails when a key
   * file exists, so of two first writers exactly one key wins and both use it (never one each, which would make
   * the other's secrets unreadable), and nobody ever reads a half-written key.
   */
  private createKey(): Buffer {
    const candidate = crypto.randomBytes(32)
    const temp = `${this.keyFile}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`
    fs.mkdirSync(path.dirname(this.keyFile), { recursive: true, mode: 0o700 })
    fs.writeFileSync(temp, candidate.toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    try {
      fs.linkSync(temp, this.keyFile)
      return candidate
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      return this.key(false)! // another process was first: use its key
    } finally {
      fs.rmSync(temp, { force: true })
    }
  }

  /** Serialises read-modify-write of the secrets file between processes. */
  private locked<T>(fn: () => T): Promise<T> {
    return withFileLock(`${this.file}.lock`, fn)
  }

  private read(): SecretsFile {
    if (!fs.existsSync(this.file)) return { version: 1, entries: {} }
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as SecretsFile
      if (parsed.version !== 1 || typeof parsed.entries !== 'object') throw new Error('unknown format')
      return parsed
    } catch (e) {
      throw new RecflowError('internal', `the secrets file ${this.file} cannot be read: ${(e as Error).message}`)
    }
  }

  async health(): Promise<SecretStoreHealth> {
    const dir = path.dirname(this.file)
    const modes: Record<string, string> = {}
    const problems: string[] = []
    const hints: string[] = []
    for (const [label, p, must] of [['folder', dir, true], ['key', this.keyFile, false], ['file', this.file, false]] as const) {
      let mode: number
      try {
        mode = fs.statSync(p).mode
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !must) continue
        problems.push(`${p} cannot be read: ${(e as Error).message}`)
        continue
      }
      modes[p] = octal(mode)
      if (loose(mode)) {
        problems.push(`${p} has mode ${octal(mode)}: others than you can reach it`)
        hints.push(`chmod ${label === 'folder' ? '700' : '600'} ${p}`)
      }
    }
    let count = 0
    try {
      const entries = Object.keys(this.read().entries)
      count = entries.length
      for (const name of entries) await this.get(name)
    } catch (e) {
      problems.push((e as Error).message)
      if (isRecflowError(e) && e.hint) hints.push(e.hint)
    }
    const summary = `${this.description}; ${count} secret${count === 1 ? '' : 's'}; modes ${Object.entries(modes).map(([p, m]) => `${path.basename(p)} ${m}`).join(', ')}`
    return problems.length === 0
      ? { ok: true, detail: summary, modes }
      : { ok: false, detail: `${problems.join('; ')} (${summary})`, hint: hints.join('; ') || undefined, modes }
  }

  async get(name: string) {
    const entry = this.read().entries[name]
    if (!entry) return undefined
    const key = this.key(false)
    if (!key) throw new RecflowError('internal', `the secret key file ${this.keyFile} is missing`)
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'base64'))
      decipher.setAAD(Buffer.from(name))
      decipher.setAuthTag(Buffer.from(entry.tag, 'base64'))
      return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8')
    } catch {
      throw new RecflowError('internal', `the stored secret "${name}" cannot be decrypted (wrong key or tampered file)`)
    }
  }

  async set(name: string, value: string) {
    const key = this.key(true)!
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(Buffer.from(name))
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
    const entry = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') }
    await this.locked(() => {
      const file = this.read()
      file.entries[name] = entry
      writeFileAtomicSync(this.file, JSON.stringify(file, null, 1) + '\n', 0o600)
    })
  }

  async delete(name: string) {
    return this.locked(() => {
      const file = this.read()
      if (!(name in file.entries)) return false
      delete file.entries[name]
      writeFileAtomicSync(this.file, JSON.stringify(file, null, 1) + '\n', 0o600)
      return true
    })
  }
}

function unreadable(file: string, e: unknown): RecflowError {
  return new RecflowError('internal', `${file} cannot be read: ${(e as Error).message}`, {
    hint: `check its owner and mode (\`ls -l ${file}\`): recflow needs to read it`,
    cause: e,
  })
}

/** True when the keychain can be constructed and read; never writes. */
async function keychainUsable(platform: NodeJS.Platform): Promise<boolean> {
  try {
    await new KeychainStore(platform).get('__recflow_probe__')
    return true
  } catch {
    return false
  }
}

export async function openSecretStore(opts: {
  preference: SecretStorePreference
  configDir: string
  platform: NodeJS.Platform
}): Promise<SecretStore> {
  // database: credentials live in their rows (credential-keys.ts); what else the daemon keeps goes to the file.
  if (opts.preference === 'file' || opts.preference === 'database') return new EncryptedFileStore(opts.configDir)
  if (await keychainUsable(opts.platform)) return new KeychainStore(opts.platform)
  if (opts.preference === 'keychain') {
    throw new RecflowError('usage', 'RECFLOW_SECRET_STORE=keychain but no OS keychain is usable here', {
      hint: 'start a Secret Service (e.g. gnome-keyring) or set RECFLOW_SECRET_STORE=file',
    })
  }
  return new EncryptedFileStore(opts.configDir)
}

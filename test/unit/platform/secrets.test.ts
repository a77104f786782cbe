import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EncryptedFileStore, openSecretStore } from '../../../src/platform/secrets.js'

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-secrets-'))

describe('EncryptedFileStore', () => {
  it('round-trips a secret without writing it in clear', async () => {
    const dir = tmp()
    const store = new EncryptedFileStore(dir)
    await store.set('zoom:main', 'super-secret-token-123')
    expect(await store.get('zoom:main')).toBe('super-secret-token-123')
    const onDisk = fs.readFileSync(path.join(dir, 'secrets.enc.json'), 'utf8')
    expect(onDisk).not.toContain('super-secret-token-123')
    expect(fs.statSync(path.join(dir, 'secrets.key')).mode & 0o777).toBe(0o600)
    expect(fs.statSync(path.join(dir, 'secrets.enc.json')).mode & 0o777).toBe(0o600)
  })

  it('returns undefined for a missing secret and deletes once', async () => {
    const store = new EncryptedFileStore(tmp())
    expect(await store.get('nope')).toBeUndefined()
    await store.set('a', '1')
    expect(await store.delete('a')).toBe(true)
    expect(await store.delete('a')).toBe(false)
    expect(await store.get('a')).toBeUndefined()
  })

  it('refuses to decrypt with another key or a tampered entry', async () => {
    const dir = tmp()
    const store = new EncryptedFileStore(dir)
    await store.set('a', 'value')
    const file = path.join(dir, 'secrets.enc.json')
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'))
    parsed.entries.b = parsed.entries.a // moved to another name: the AAD no longer matches
    fs.writeFileSync(file, JSON.stringify(parsed))
    await expect(store.get('b')).rejects.toThrow(/cannot be decrypted/)
    fs.writeFileSync(path.join(dir, 'secrets.key'), Buffer.alloc(32, 7).toString('base64'))
    await expect(store.get('a')).rejects.toThrow(/cannot be decrypted/)
  })
})

describe('openSecretStore', () => {
  it('uses the encrypted file when asked to', async () => {
    const store = await openSecretStore({ preference: 'file', configDir: tmp(), platform: process.platform })
    expect(store.kind).toBe('encrypted-file')
    expect(store.description).toMatch(/AES-256-GCM/)
  })

  it('falls back to the encrypted file when no keychain is usable (headless Linux)', async () => {
    const store = await openSecretStore({ preference: 'auto', configDir: tmp(), platform: 'linux' })
    // On a desktop with a Secret Service this is the keychain; on CI machines it is the file.
    expect(['keychain', 'encrypted-file']).toContain(store.kind)
  })
})

import { describe, expect, it } from 'vitest'
import { generatePassword, hashPassword, needsRehash, verifyPassword } from '../../../src/services/accounts/password-hash.js'
import { passwordProblems } from '../../../src/domain/accounts/index.js'

describe('scrypt password hashes', () => {
  it('stores scrypt$N$r$p$salt$hash with a fresh salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse', 10)
    const b = await hashPassword('correct horse', 10)
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse', a)).toBe(true)
    expect(await verifyPassword('correct horsf', a)).toBe(false)
    expect(await verifyPassword('', a)).toBe(false)
  })

  it('never matches a missing, foreign or absurdly costly hash', async () => {
    const good = await hashPassword('correct horse', 10)
    expect(await verifyPassword('correct horse', null)).toBe(false)
    expect(await verifyPassword('correct horse', 'bcrypt$2b$10$abc')).toBe(false)
    expect(await verifyPassword('correct horse', good.replace('$1024$', '$1000$'))).toBe(false) // N not a power of two
    expect(await verifyPassword('correct horse', good.replace('$1024$', `$${2 ** 24}$`))).toBe(false) // would take 16 GiB
    expect(await verifyPassword('correct horse', good.slice(0, -4))).toBe(false)
  })

  it('asks for a rehash when the configured cost grew', async () => {
    const cheap = await hashPassword('correct horse', 10)
    expect(needsRehash(cheap, 10)).toBe(false)
    expect(needsRehash(cheap, 11)).toBe(true)
    expect(needsRehash('garbage', 10)).toBe(true)
  })

  it('generates passwords the policy accepts', () => {
    const p = generatePassword()
    expect(p).toHaveLength(27)
    expect(passwordProblems(p, 'ann@example.com')).toEqual([])
    expect(generatePassword()).not.toBe(p)
  })
})

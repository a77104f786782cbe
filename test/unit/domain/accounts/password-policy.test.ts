import { describe, expect, it } from 'vitest'
import { emailSchema, parseAccountInput, passwordProblems, permissionsOf, registerSchema, PERMISSION_FLAGS } from '../../../../src/domain/accounts/index.js'
import { RecflowError } from '../../../../src/domain/errors.js'

describe('password policy', () => {
  it('accepts 10+ characters of two kinds that are not the email', () => {
    expect(passwordProblems('correct horse', 'ann@example.com')).toEqual([])
    expect(passwordProblems('abcdefghi1', 'ann@example.com')).toEqual([])
  })

  it('names each problem without repeating the password', () => {
    expect(passwordProblems('Ab1', 'ann@example.com')).toEqual(['the password must have at least 10 characters (it has 3)'])
    expect(passwordProblems('abcdefghijkl')).toEqual([
      'the password must mix at least two of: lowercase letters, uppercase letters, digits, symbols or spaces',
    ])
    expect(passwordProblems('1234567890123')).toHaveLength(1)
    expect(passwordProblems('ANN@example.COM', 'ann@example.com')).toEqual(['the password must not be your email address'])
    expect(passwordProblems('Annabelle-1', 'annabelle-1@example.com')).toEqual(['the password must not be your email address'])
    expect(passwordProblems('x'.repeat(300) + '1')).toEqual(['the password must have at most 256 characters (it has 301)'])
    // Characters, not UTF-16 units: nine emoji are nine characters.
    expect(passwordProblems('😀'.repeat(9))[0]).toMatch(/at least 10 characters \(it has 9\)/)
  })
})

describe('account schemas', () => {
  it('normalises the email and keeps passwords out of error messages', () => {
    expect(emailSchema.parse('  Ann@Example.COM ')).toBe('ann@example.com')
    const e = (() => {
      try {
        parseAccountInput(registerSchema, { email: 'not-an-email', password: 'hunter2-secret', extra: 1 }, 'registration')
      } catch (err) {
        return err
      }
    })() as RecflowError
    expect(e).toBeInstanceOf(RecflowError)
    expect(e.code).toBe('validation')
    expect(e.message).toMatch(/email: expected an email address/)
    expect(e.message).toMatch(/unknown key 'extra'/)
    expect(JSON.stringify([e.message, e.details])).not.toContain('hunter2')
  })
})

describe('permissions', () => {
  it('grants every flag unless stored as false, and drops unknown keys', () => {
    const all = permissionsOf({})
    expect(Object.keys(all)).toEqual([...PERMISSION_FLAGS])
    expect(Object.values(all).every((v) => v === true)).toBe(true)
    expect(permissionsOf({ can_upload: false, can_fly: true, can_transcribe: 'no' })).toMatchObject({ can_upload: false, can_transcribe: true })
    expect(permissionsOf(null)).toEqual(all)
    expect('can_fly' in permissionsOf({ can_fly: true })).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { mergePatch } from '../../../../src/domain/config/index.js'

describe('mergePatch (RFC 7396 on a stored config layer)', () => {
  it('merges objects, replaces arrays and scalars, removes keys on null and drops emptied objects', () => {
    const stored = { processing: { padding_before: 2, trim_mode: 'pauses' }, metadata: { tags: ['a', 'b'] }, upload: { youtube: { privacy: 'unlisted' } } }
    const out = mergePatch(stored, { processing: { trim_mode: null, padding_after: 1 }, metadata: { tags: ['c'] }, upload: { youtube: { privacy: null } } })
    expect(out).toEqual({ processing: { padding_before: 2, padding_after: 1 }, metadata: { tags: ['c'] } })
    expect(stored.processing.trim_mode).toBe('pauses') // the input is not changed
  })

  it('keeps "__proto__" an ordinary key', () => {
    const out = mergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>)
    expect(Object.keys(out)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
  })
})

import { describe, expect, it } from 'vitest'
import { deepMerge, isPlainObject } from '../../../../src/domain/config/index.js'

describe('deepMerge', () => {
  it('merges objects recursively, the override winning key by key', () => {
    expect(deepMerge({ a: { x: 1, y: 2 }, b: 1 }, { a: { y: 3 } })).toEqual({ a: { x: 1, y: 3 }, b: 1 })
  })

  it('replaces arrays instead of merging them', () => {
    expect(deepMerge({ formats: ['srt', 'vtt'] }, { formats: ['vtt'] })).toEqual({ formats: ['vtt'] })
    expect(deepMerge({ tags: ['a', 'b'] }, { tags: [] })).toEqual({ tags: [] })
  })

  it('keeps the base value where the override is null or undefined', () => {
    expect(deepMerge({ a: 1, b: { c: 2 } }, { a: null, b: undefined })).toEqual({ a: 1, b: { c: 2 } })
    expect(deepMerge({ a: { c: 2 } }, { a: { c: null } })).toEqual({ a: { c: 2 } })
  })

  it('returns a copy of the base for a null or missing override', () => {
    const base = { a: { b: [1] } }
    const merged = deepMerge(base, null)
    expect(merged).toEqual(base)
    expect(merged).not.toBe(base)
    expect(merged.a.b).not.toBe(base.a.b)
    expect(deepMerge(base, undefined)).toEqual(base)
  })

  it('keeps null values of the base (null is a value there, not "inherit")', () => {
    expect(deepMerge({ language: null, model: 'x' }, { model: 'y' })).toEqual({ language: null, model: 'y' })
  })

  it('adds keys the base does not have, without their nulls', () => {
    expect(deepMerge({ a: 1 }, { b: 2, c: null })).toEqual({ a: 1, b: 2 })
    expect(deepMerge({ a: 1 }, { c: null })).not.toHaveProperty('c')
    expect(deepMerge({}, { s: { x: 1, y: null } })).toEqual({ s: { x: 1 } })
  })

  it('lets an object replace a scalar and a scalar replace an object', () => {
    expect(deepMerge({ a: 5 }, { a: { x: 1 } })).toEqual({ a: { x: 1 } })
    expect(deepMerge({ a: { x: 1 } }, { a: 5 })).toEqual({ a: 5 })
  })

  it('keeps false, 0 and empty strings from the override (only null inherits)', () => {
    expect(deepMerge({ a: true, b: 5, c: 'x' }, { a: false, b: 0, c: '' })).toEqual({ a: false, b: 0, c: '' })
  })

  it('changes neither argument', () => {
    const base = { a: { x: 1 }, list: [1, 2] }
    const override = { a: { y: 2 }, list: [3] }
    const merged = deepMerge(base, override)
    merged.list.push(4)
    ;(merged.a as Record<string, number>).z = 9
    expect(base).toEqual({ a: { x: 1 }, list: [1, 2] })
    expect(override).toEqual({ a: { y: 2 }, list: [3] })
  })

  it('treats a "__proto__" key from JSON as data, not as a prototype', () => {
    const override = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>
    const merged = deepMerge({}, override)
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.hasOwn(merged, '__proto__')).toBe(true)
  })
})

describe('isPlainObject', () => {
  it('accepts object literals and null-prototype objects only', () => {
    expect(isPlainObject({})).toBe(true)
    expect(isPlainObject(Object.create(null))).toBe(true)
    expect(isPlainObject([])).toBe(false)
    expect(isPlainObject(null)).toBe(false)
    expect(isPlainObject(new Date())).toBe(false)
    expect(isPlainObject('x')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { getAtPath, setAtPath, splitPath, unsetAtPath } from '../../../../src/domain/config/index.js'
import { RecflowError } from '../../../../src/domain/errors.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

describe('splitPath', () => {
  it('splits a dotted path', () => {
    expect(splitPath('processing.padding_before')).toEqual(['processing', 'padding_before'])
  })

  it.each(['', ' ', 'a..b', '.a', 'a.'])('rejects the malformed path %j as a usage error', (path) => {
    const e = errorOf(() => splitPath(path))
    expect(e.code).toBe('usage')
    expect(e.message).toContain('invalid config path')
  })
})

describe('getAtPath', () => {
  const obj = { processing: { padding_before: 0, trim_mode: 'edges' }, transcription: { language: null }, list: [1] }

  it('reads a nested value, including falsy ones', () => {
    expect(getAtPath(obj, 'processing.padding_before')).toBe(0)
    expect(getAtPath(obj, 'transcription.language')).toBeNull()
    expect(getAtPath(obj, 'processing')).toEqual({ padding_before: 0, trim_mode: 'edges' })
  })

  it('returns undefined for a missing key or a path through a non-object', () => {
    expect(getAtPath(obj, 'processing.nope')).toBeUndefined()
    expect(getAtPath(obj, 'processing.trim_mode.length')).toBeUndefined()
    expect(getAtPath(obj, 'list.0')).toBeUndefined()
    expect(getAtPath(null, 'a')).toBeUndefined()
  })

  it('does not read inherited properties', () => {
    expect(getAtPath({}, 'constructor')).toBeUndefined()
    expect(getAtPath({ a: {} }, 'a.toString')).toBeUndefined()
  })
})

describe('setAtPath', () => {
  it('returns a new object with the value set, leaving the input unchanged', () => {
    const obj = { processing: { padding_before: 5 }, topics: { enabled: true } }
    const next = setAtPath(obj, 'processing.padding_before', 2)
    expect(next).toEqual({ processing: { padding_before: 2 }, topics: { enabled: true } })
    expect(obj.processing.padding_before).toBe(5)
    expect(next.topics).toBe(obj.topics)
  })

  it('creates missing objects on the way', () => {
    expect(setAtPath({}, 'upload.preset_ids', [1, 2])).toEqual({ upload: { preset_ids: [1, 2] } })
    expect(setAtPath(null, 'a.b.c', 1)).toEqual({ a: { b: { c: 1 } } })
    expect(setAtPath({ a: null }, 'a.b', 1)).toEqual({ a: { b: 1 } })
  })

  it('keeps the order of existing keys', () => {
    expect(Object.keys(setAtPath({ a: 1, b: 2, c: 3 }, 'b', 9))).toEqual(['a', 'b', 'c'])
  })

  it('refuses to set a key below a value that is not an object', () => {
    const e = errorOf(() => setAtPath({ processing: { enabled: true } }, 'processing.enabled.x', 1))
    expect(e.code).toBe('usage')
    expect(e.message).toBe('cannot set processing.enabled.x: processing.enabled is not an object')
  })
})

describe('unsetAtPath', () => {
  it('removes the key and returns a new object', () => {
    const obj = { processing: { padding_before: 2, padding_after: 3 } }
    expect(unsetAtPath(obj, 'processing.padding_before')).toEqual({ processing: { padding_after: 3 } })
    expect(obj.processing).toEqual({ padding_before: 2, padding_after: 3 })
  })

  it('removes objects the removal leaves empty', () => {
    expect(unsetAtPath({ processing: { padding_before: 2 }, topics: { enabled: false } }, 'processing.padding_before')).toEqual({
      topics: { enabled: false },
    })
    expect(unsetAtPath({ a: { b: { c: 1 } } }, 'a.b.c')).toEqual({})
  })

  it('returns an unchanged copy when the path is not there', () => {
    const obj = { processing: { padding_before: 2 } }
    const next = unsetAtPath(obj, 'topics.enabled')
    expect(next).toEqual(obj)
    expect(next).not.toBe(obj)
    expect(unsetAtPath(obj, 'processing.padding_before.deeper')).toEqual(obj)
    expect(unsetAtPath(undefined, 'a')).toEqual({})
  })

  it('removes a whole section', () => {
    expect(unsetAtPath({ processing: { padding_before: 2 }, upload: { captions: false } }, 'processing')).toEqual({
      upload: { captions: false },
    })
  })
})

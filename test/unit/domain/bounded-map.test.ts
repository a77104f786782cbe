import { describe, expect, it } from 'vitest'
import { boundedMap } from '../../../src/domain/bounded-map.js'

describe('boundedMap', () => {
  it('forgets the least recently used entry beyond its size; a read or a write makes an entry recent', () => {
    const m = boundedMap<string, number>(2)
    m.set('a', 1)
    m.set('b', 2)
    expect(m.get('a')).toBe(1) // a is now more recent than b
    m.set('c', 3)
    expect([m.get('a'), m.get('b'), m.get('c')]).toEqual([1, undefined, 3])
    m.set('a', 10) // rewrite: recent again, still two entries
    m.set('d', 4)
    expect([m.get('a'), m.get('c'), m.get('d'), m.size]).toEqual([10, undefined, 4, 2])
    m.clear()
    expect([m.get('a'), m.size]).toEqual([undefined, 0])
  })
})

import { describe, expect, it } from 'vitest'
import { charLength, truncate, utf8Length } from '../../../../src/domain/metadata/truncate.js'

describe('truncate', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('short', 5)).toBe('short')
  })

  it('keeps a word that ends exactly at the cut', () => {
    expect(truncate('Vectors and spaces', 12)).toBe('Vectors and…')
  })

  it('cuts at a word boundary and adds an ellipsis within the limit', () => {
    const out = truncate('Linear algebra lecture number twelve', 20)
    expect(out).toBe('Linear algebra…')
    expect(charLength(out)).toBeLessThanOrEqual(20)
  })

  it('cuts inside a long word rather than dropping most of the text', () => {
    expect(truncate('Supercalifragilisticexpialidocious', 10)).toBe('Supercali…')
    expect(truncate('a Supercalifragilisticexpialidocious', 10)).toBe('a Superca…')
  })

  it('counts characters, not UTF-16 units', () => {
    const emoji = '😀'.repeat(10)
    expect(charLength(truncate(emoji, 5))).toBe(5)
  })

  it('never splits an emoji sequence or a combining accent', () => {
    const family = '👨‍👩‍👧'
    const out = truncate(`${family}${family}${family}`, 12, { unit: 'chars' })
    // 5 code points each: two fit in 12 with the ellipsis, and the third is not cut in half
    expect(out).toBe(`${family}${family}…`)
    const accented = 'e\u0301'.repeat(5)
    expect(truncate(accented, 4)).toBe('e\u0301…')
  })

  it('cuts by UTF-8 bytes without breaking a character', () => {
    const text = 'я'.repeat(10) // 2 bytes each
    const out = truncate(text, 9, { unit: 'bytes' })
    expect(utf8Length(out)).toBeLessThanOrEqual(9)
    expect(out).toBe('яяя…') // 6 + 3 bytes
    expect(out).not.toContain('\uFFFD')
  })

  it('drops trailing separators before the ellipsis', () => {
    expect(truncate('Topics: vectors, matrices', 18)).toBe('Topics: vectors…')
  })
})

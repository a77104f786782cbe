import { describe, expect, it } from 'vitest'
import { compilePattern, MAX_PATTERN_LENGTH } from '../../../../src/domain/matching/compile-pattern.js'
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

describe('compilePattern', () => {
  it('compiles a valid pattern and searches anywhere in the title', () => {
    const re = compilePattern('CS\\d{3}', true)
    expect(re.test('Lecture CS101 week 2')).toBe(true)
    expect(re.test('cs101')).toBe(false)
  })

  it('ignores case unless asked to be case sensitive', () => {
    expect(compilePattern('^math', false).test('MATH 1')).toBe(true)
    expect(compilePattern('^math', true).test('MATH 1')).toBe(false)
  })

  it('folds case for non-ASCII letters too', () => {
    expect(compilePattern('лекция', false).test('ЛЕКЦИЯ 3')).toBe(true)
  })

  it('accepts named groups in both RE2 spellings', () => {
    expect(compilePattern('(?P<year>\\d{4})', true).namedGroups()).toEqual({ year: 1 })
    expect(compilePattern('(?<year>\\d{4})', true).namedGroups()).toEqual({ year: 1 })
  })

  it('rejects a syntax error with the reason and a hint', () => {
    const e = errorOf(() => compilePattern('(unclosed', false))
    expect(e.code).toBe('validation')
    expect(e.message).toMatch(/^invalid pattern "\(unclosed": missing closing \)/)
    expect(e.hint).toMatch(/RE2 syntax/)
  })

  it.each([['(?=lookahead)'], ['(?!negative)'], ['(?<=behind)x'], ['(?<!notbehind)x']])(
    'says that lookaround is unsupported: %s',
    (p) => {
      expect(errorOf(() => compilePattern(p, false)).message).toMatch(/lookahead and lookbehind .* not supported/)
    },
  )

  it.each([['(a)\\1'], ['(?<w>a)\\k<w>']])('says that backreferences are unsupported: %s', (p) => {
    expect(errorOf(() => compilePattern(p, false)).message).toMatch(/backreferences .* not supported/)
  })

  it('rejects a pattern longer than the limit, and accepts one exactly at it', () => {
    expect(() => compilePattern('a'.repeat(MAX_PATTERN_LENGTH), false)).not.toThrow()
    const e = errorOf(() => compilePattern('a'.repeat(MAX_PATTERN_LENGTH + 1), false))
    expect(e.message).toMatch(/longer than 500 characters \(501\)/)
    // the message shows a shortened pattern, not 501 characters
    expect(e.message.length).toBeLessThan(160)
  })

  it('rejects an empty pattern, which would match every title', () => {
    expect(errorOf(() => compilePattern('', false)).message).toMatch(/empty pattern/)
  })

  it('runs a catastrophic-backtracking pattern against a long hostile title quickly', () => {
    const re = compilePattern('(a+)+$', false)
    const hostile = `${'a'.repeat(100_000)}!`
    const started = performance.now()
    expect(re.test(hostile)).toBe(false)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

import { describe, expect, it } from 'vitest'
import { assertMatchable, matchingRulesSchema } from '../../../../src/domain/matching/matching-rules.js'

describe('matchingRulesSchema', () => {
  it('accepts an empty rule set and defaults case_sensitive to false', () => {
    expect(matchingRulesSchema.parse({})).toEqual({ case_sensitive: false })
  })

  it('trims entries and rejects blank ones, which would match everything', () => {
    expect(matchingRulesSchema.parse({ keywords: ['  Math '] }).keywords).toEqual(['Math'])
    expect(matchingRulesSchema.safeParse({ keywords: ['  '] }).success).toBe(false)
    expect(matchingRulesSchema.safeParse({ patterns: [''] }).success).toBe(false)
  })

  it('rejects non-integer or non-positive source ids', () => {
    expect(matchingRulesSchema.safeParse({ source_ids: [1.5] }).success).toBe(false)
    expect(matchingRulesSchema.safeParse({ source_ids: [0] }).success).toBe(false)
  })

  it('rejects an unknown key and names the allowed ones', () => {
    const r = matchingRulesSchema.safeParse({ keyword: ['x'] })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.message).toMatch(/unknown key 'keyword' \(allowed: .*keywords/)
  })
})

describe('assertMatchable', () => {
  it('accepts any one positive rule', () => {
    expect(() => assertMatchable({ exact_matches: ['A'] })).not.toThrow()
    expect(() => assertMatchable({ keywords: ['A'] })).not.toThrow()
    expect(() => assertMatchable({ patterns: ['A'] })).not.toThrow()
  })

  it('rejects rules with nothing that can match', () => {
    expect(() => assertMatchable({})).toThrow(/at least one of exact_matches, keywords or patterns/)
    expect(() => assertMatchable({ keywords: [], exclude_keywords: ['x'] })).toThrow(/at least one/)
  })

  it('explains that a source filter alone never matches', () => {
    expect(() => assertMatchable({ source_ids: [3] })).toThrow(/source_ids only narrows/)
  })
})

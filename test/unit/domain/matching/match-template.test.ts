import { describe, expect, it } from 'vitest'
import { matchTemplate, templateMatches, type MatchableTemplate } from '../../../../src/domain/matching/match-template.js'
import type { MatchingRulesInput } from '../../../../src/domain/matching/matching-rules.js'

let nextId = 1
function template(rules: MatchingRulesInput, over: Partial<MatchableTemplate> = {}): MatchableTemplate {
  const id = over.id ?? nextId++
  return { id, created_at: '2024-01-01T00:00:00.000Z', is_active: true, is_draft: false, matching_rules: rules, ...over }
}
const rec = (display_name: string, input_source_id?: number | null) => ({ display_name, input_source_id })

describe('matchTemplate', () => {
  it('matches a keyword as a case-insensitive substring by default and says so', () => {
    const t = template({ keywords: ['Math'] })
    expect(matchTemplate(rec('Discrete MATHEMATICS, week 3'), [t])).toEqual({ templateId: t.id, reason: 'keyword "Math"' })
  })

  it('respects case_sensitive for keywords', () => {
    const t = template({ keywords: ['Math'], case_sensitive: true })
    expect(matchTemplate(rec('discrete mathematics'), [t])).toBeNull()
    expect(matchTemplate(rec('Discrete Mathematics'), [t])?.templateId).toBe(t.id)
  })

  it('matches an exact title only as the whole title, after trimming', () => {
    const t = template({ exact_matches: ['Weekly sync'] })
    expect(matchTemplate(rec('  weekly SYNC \n'), [t])?.reason).toBe('exact match "weekly SYNC"')
    expect(matchTemplate(rec('Weekly sync #2'), [t])).toBeNull()
  })

  it('compares exact titles case-sensitively when asked', () => {
    const t = template({ exact_matches: ['Weekly sync'], case_sensitive: true })
    expect(matchTemplate(rec('weekly sync'), [t])).toBeNull()
  })

  it('matches a pattern anywhere in the title', () => {
    const t = template({ patterns: ['CS\\d{3}'] })
    expect(matchTemplate(rec('Lecture cs101'), [t])?.reason).toBe('pattern "CS\\\\d{3}"')
  })

  it('reports the first positive rule in the order exact, keyword, pattern', () => {
    const t = template({ patterns: ['Algebra'], keywords: ['Linear'], exact_matches: ['Linear Algebra'] })
    expect(matchTemplate(rec('Linear Algebra'), [t])?.reason).toMatch(/^exact match/)
    expect(matchTemplate(rec('Linear Algebra 2'), [t])?.reason).toMatch(/^keyword/)
    expect(matchTemplate(rec('Algebra 2'), [t])?.reason).toMatch(/^pattern/)
  })

  it('skips a template whose source_ids exclude the recording', () => {
    const t = template({ keywords: ['Math'], source_ids: [1, 2] })
    expect(matchTemplate(rec('Math', 3), [t])).toBeNull()
    expect(matchTemplate(rec('Math', 2), [t])?.templateId).toBe(t.id)
  })

  it('skips a template with a source filter when the recording has no source', () => {
    const t = template({ keywords: ['Math'], source_ids: [1] })
    expect(matchTemplate(rec('Math'), [t])).toBeNull()
    expect(matchTemplate(rec('Math', null), [t])).toBeNull()
  })

  it('treats an empty source_ids as no filter', () => {
    const t = template({ keywords: ['Math'], source_ids: [] })
    expect(matchTemplate(rec('Math', 9), [t])?.templateId).toBe(t.id)
  })

  it('never matches on a source filter alone', () => {
    expect(matchTemplate(rec('anything', 1), [template({ source_ids: [1] })])).toBeNull()
  })

  it('rejects a recording with an exclude keyword even when a positive rule matches', () => {
    const t = template({ keywords: ['Math'], exclude_keywords: ['cancelled'] })
    expect(matchTemplate(rec('Math (CANCELLED)'), [t])).toBeNull()
    expect(matchTemplate(rec('Math'), [t])?.templateId).toBe(t.id)
  })

  it('rejects a recording with an exclude pattern, even an exact match', () => {
    const t = template({ exact_matches: ['Math test'], exclude_patterns: ['\\btest\\b'] })
    expect(matchTemplate(rec('Math test'), [t])).toBeNull()
  })

  it('applies case_sensitive to excludes as well', () => {
    const t = template({ keywords: ['Math'], exclude_keywords: ['Draft'], case_sensitive: true })
    expect(matchTemplate(rec('Math draft'), [t])?.templateId).toBe(t.id)
    expect(matchTemplate(rec('Math Draft'), [t])).toBeNull()
  })

  it('lets the oldest matching template win, then the lower id on a tie', () => {
    const newer = template({ keywords: ['Math'] }, { id: 1, created_at: '2024-05-01T00:00:00Z' })
    const older = template({ keywords: ['Math'] }, { id: 2, created_at: '2024-01-01T00:00:00Z' })
    expect(matchTemplate(rec('Math'), [newer, older])?.templateId).toBe(2)
    const twinA = template({ keywords: ['Math'] }, { id: 7, created_at: '2024-01-01T00:00:00Z' })
    const twinB = template({ keywords: ['Math'] }, { id: 5, created_at: '2024-01-01T00:00:00Z' })
    expect(matchTemplate(rec('Math'), [twinA, twinB])?.templateId).toBe(5)
  })

  it('orders by instant, not by the text of created_at', () => {
    const a = template({ keywords: ['Math'] }, { id: 1, created_at: '2024-01-01T10:00:00+05:00' }) // 05:00Z
    const b = template({ keywords: ['Math'] }, { id: 2, created_at: '2024-01-01T06:00:00Z' })
    expect(matchTemplate(rec('Math'), [b, a])?.templateId).toBe(1)
  })

  it('falls through to a later template when an older one does not match', () => {
    const older = template({ keywords: ['Physics'] }, { created_at: '2023-01-01T00:00:00Z' })
    const newer = template({ keywords: ['Math'] }, { created_at: '2024-01-01T00:00:00Z' })
    expect(matchTemplate(rec('Math'), [older, newer])?.templateId).toBe(newer.id)
  })

  it('ignores inactive and draft templates', () => {
    const inactive = template({ keywords: ['Math'] }, { is_active: false, created_at: '2020-01-01T00:00:00Z' })
    const draft = template({ keywords: ['Math'] }, { is_draft: true, created_at: '2020-01-01T00:00:00Z' })
    expect(matchTemplate(rec('Math'), [inactive, draft])).toBeNull()
  })

  it('returns null when there are no templates', () => {
    expect(matchTemplate(rec('Math'), [])).toBeNull()
  })

  it('matches composed and decomposed accents alike', () => {
    const t = template({ keywords: ['Café'.normalize('NFD')] })
    expect(matchTemplate(rec('Le Café'.normalize('NFC')), [t])?.templateId).toBe(t.id)
  })

  it('names the template whose stored pattern no longer compiles', () => {
    const broken = template({ patterns: ['(unclosed'] }, { id: 42 })
    expect(() => matchTemplate(rec('x'), [broken])).toThrow(/^template 42: invalid pattern/)
  })

  it('stays fast on a hostile title against a catastrophic pattern', () => {
    const t = template({ patterns: ['(a+)+$'], exclude_patterns: ['(x+x+)+y'] })
    const started = performance.now()
    expect(matchTemplate(rec(`${'a'.repeat(100_000)}!`), [t])).toBeNull()
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('templateMatches', () => {
  it('judges a draft on its rules alone', () => {
    const draft = template({ keywords: ['Math'] }, { is_draft: true, is_active: false })
    expect(templateMatches(rec('Math'), draft)).toBe('keyword "Math"')
    expect(templateMatches(rec('Physics'), draft)).toBeNull()
  })
})

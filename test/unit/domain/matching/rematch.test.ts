import { describe, expect, it } from 'vitest'
import type { MatchableTemplate } from '../../../../src/domain/matching/match-template.js'
import { previewMatch, previewRematch, selectForRematch, type BoundRecording } from '../../../../src/domain/matching/rematch.js'

const math: MatchableTemplate = { id: 1, created_at: '2024-01-01T00:00:00Z', is_active: true, is_draft: false, matching_rules: { keywords: ['Math'] } }
const older: MatchableTemplate = { id: 2, created_at: '2023-01-01T00:00:00Z', is_active: true, is_draft: false, matching_rules: { keywords: ['Algebra'] } }
const physics: MatchableTemplate = { id: 3, created_at: '2024-02-01T00:00:00Z', is_active: true, is_draft: false, matching_rules: { keywords: ['Physics'] } }

const recs: BoundRecording[] = [
  { id: 10, display_name: 'Math 1', template_id: null }, // unmapped, math wins -> picked up
  { id: 11, display_name: 'Physics 1', template_id: null }, // unmapped, physics would win -> not this rematch's business
  { id: 12, display_name: 'History', template_id: 1 }, // bound to math, no longer matches -> unmapped
  { id: 13, display_name: 'Math Algebra', template_id: 1 }, // bound to math, older template wins now -> moves
  { id: 14, display_name: 'Math 2', template_id: 1 }, // bound to math and still matches -> unchanged
  { id: 15, display_name: 'Math 3', template_id: 3 }, // bound elsewhere -> never considered
  { id: 16, display_name: 'Chemistry', template_id: null }, // unmapped, nothing matches -> unchanged
]
const templates = [math, older, physics]

describe('selectForRematch', () => {
  it('picks up unmapped recordings the template wins and re-evaluates its own', () => {
    expect(selectForRematch(recs, 1, templates, { onlyUnmapped: false })).toEqual([
      { recordingId: 10, from: null, to: 1, reason: 'keyword "Math"' },
      { recordingId: 12, from: 1, to: null, reason: null },
      { recordingId: 13, from: 1, to: 2, reason: 'keyword "Algebra"' },
    ])
  })

  it('leaves recordings bound to the template alone with onlyUnmapped', () => {
    expect(selectForRematch(recs, 1, templates, { onlyUnmapped: true })).toEqual([
      { recordingId: 10, from: null, to: 1, reason: 'keyword "Math"' },
    ])
  })

  it('does not bind an unmapped recording to a different template', () => {
    const changes = selectForRematch(recs, 1, templates, { onlyUnmapped: false })
    expect(changes.find((c) => c.recordingId === 11)).toBeUndefined()
  })

  it('never touches recordings bound to other templates', () => {
    const changes = selectForRematch(recs, 1, templates, { onlyUnmapped: false })
    expect(changes.some((c) => c.recordingId === 15)).toBe(false)
  })

  it('unbinds everything of a template that was deactivated', () => {
    const inactive = { ...math, is_active: false }
    const changes = selectForRematch(recs, 1, [inactive, older, physics], { onlyUnmapped: false })
    expect(changes.map((c) => [c.recordingId, c.to])).toEqual([
      [12, null],
      [13, 2],
      [14, null],
    ])
  })
})

describe('previewRematch', () => {
  it('returns the same selection with titles and the number considered', () => {
    const preview = previewRematch(recs, 1, templates, { onlyUnmapped: false })
    expect(preview.considered).toBe(6) // 10, 11, 12, 13, 14, 16
    expect(preview.changes.map((c) => [c.recordingId, c.display_name])).toEqual([
      [10, 'Math 1'],
      [12, 'History'],
      [13, 'Math Algebra'],
    ])
    expect(previewRematch(recs, 1, templates, { onlyUnmapped: true }).considered).toBe(3)
  })
})

describe('previewMatch', () => {
  it('lists the unmapped recordings a template matches on its own, drafts included', () => {
    const draft = { id: 9, matching_rules: { keywords: ['Math', 'Physics'] } }
    expect(previewMatch(recs, draft)).toEqual([
      { recordingId: 10, display_name: 'Math 1', reason: 'keyword "Math"' },
      { recordingId: 11, display_name: 'Physics 1', reason: 'keyword "Physics"' },
    ])
  })
})

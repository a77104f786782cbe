import { describe, expect, it } from 'vitest'
import { applyPlatformLimits } from '../../../../src/domain/metadata/platform-limits.js'
import { charLength, utf8Length } from '../../../../src/domain/metadata/truncate.js'

const meta = (over: Partial<{ title: string; description: string; tags: string[] }> = {}) => ({
  title: 'Title',
  description: 'Description',
  tags: [] as string[],
  ...over,
})

describe('applyPlatformLimits youtube', () => {
  it('passes metadata within the limits unchanged, without warnings', () => {
    expect(applyPlatformLimits('youtube', meta({ tags: ['a', 'b c'] }))).toEqual({ ...meta({ tags: ['a', 'b c'] }), warnings: [] })
  })

  it('cuts a long title to 100 characters at a word boundary with an ellipsis', () => {
    const title = 'word '.repeat(30).trim() // 149 characters
    const out = applyPlatformLimits('youtube', meta({ title }))
    expect(charLength(out.title)).toBeLessThanOrEqual(100)
    expect(out.title.endsWith('word…')).toBe(true)
    expect(out.warnings).toEqual(['title cut to 100 characters (YouTube limit)'])
  })

  it('accepts a title of exactly 100 characters, counting emoji as one', () => {
    const title = '😀'.repeat(100)
    expect(applyPlatformLimits('youtube', meta({ title })).title).toBe(title)
  })

  it('strips < and > from title, description and tags', () => {
    const out = applyPlatformLimits('youtube', meta({ title: '<b>Bold</b>', description: 'a < b > c', tags: ['<x>'] }))
    expect(out.title).toBe('bBold/b')
    expect(out.description).toBe('a  b  c')
    expect(out.tags).toEqual(['x'])
    expect(out.warnings).toContain('removed < and > from the title (YouTube does not allow them)')
    expect(out.warnings).toContain('removed < and > from the description (YouTube does not allow them)')
    expect(out.warnings).toContain('removed < and > from tags (YouTube does not allow them)')
  })

  it('cuts the description to 5000 UTF-8 bytes without splitting a character', () => {
    const description = 'щ'.repeat(3000) // 6000 bytes
    const out = applyPlatformLimits('youtube', meta({ description }))
    expect(utf8Length(out.description)).toBeLessThanOrEqual(5000)
    expect(utf8Length(out.description)).toBeGreaterThan(4990)
    expect(out.description).not.toContain('\uFFFD')
    expect(out.description.endsWith('…')).toBe(true)
    expect(out.warnings).toEqual(['description cut to 5000 bytes (YouTube limit)'])
  })

  it('does not cut a 5000-byte description', () => {
    const description = 'a'.repeat(5000)
    expect(applyPlatformLimits('youtube', meta({ description })).description).toBe(description)
  })

  it('counts tags with commas between them and quotes around tags with spaces', () => {
    // 49 tags of 9 chars + 48 commas = 489; a 10th-char tag "ab cd efgh" costs 10 + 2 + 1 = 13 -> 502: dropped
    const tags = Array.from({ length: 49 }, (_, i) => `tag${String(i).padStart(6, '0')}`)
    const out = applyPlatformLimits('youtube', meta({ tags: [...tags, 'ab cd efgh', 'short'] }))
    expect(out.tags).toEqual([...tags, 'short']) // "short" costs 6 -> 495
    expect(out.warnings).toEqual(['dropped tag "ab cd efgh" (YouTube allows 500 characters of tags in total)'])
  })

  it('keeps tags that total exactly 500 characters and drops one that makes 501', () => {
    const tags = Array.from({ length: 49 }, (_, i) => `t${String(i).padStart(8, '0')}`) // 49*9 + 48 commas = 489
    expect(applyPlatformLimits('youtube', meta({ tags: [...tags, 'x'.repeat(10)] })).tags).toHaveLength(50) // +1+10 = 500
    const over = applyPlatformLimits('youtube', meta({ tags: [...tags, 'x'.repeat(11)] })) // 501
    expect(over.tags).toEqual(tags)
    expect(over.warnings).toHaveLength(1)
  })

  it('drops duplicate tags regardless of case', () => {
    expect(applyPlatformLimits('youtube', meta({ tags: ['Math', 'math', 'MATH '] })).tags).toEqual(['Math'])
  })
})

describe('applyPlatformLimits vk', () => {
  it('cuts the title to 128 characters and the description to 5000 characters', () => {
    const out = applyPlatformLimits('vk', meta({ title: 'x'.repeat(200), description: 'я'.repeat(6000) }))
    expect(charLength(out.title)).toBe(128)
    expect(charLength(out.description)).toBe(5000)
    expect(out.warnings).toEqual([
      'title cut to 128 characters (VK limit)',
      'description cut to 5000 characters (VK limit)',
    ])
  })

  it('keeps < and >, which VK allows', () => {
    expect(applyPlatformLimits('vk', meta({ title: 'a<b>' })).title).toBe('a<b>')
  })

  it('allows a 5000-character description that is longer than 5000 bytes', () => {
    const description = 'я'.repeat(5000)
    expect(applyPlatformLimits('vk', meta({ description })).description).toBe(description)
  })
})

describe('applyPlatformLimits local', () => {
  it('applies no limits', () => {
    const input = meta({ title: '<'.repeat(300), description: 'x'.repeat(10_000), tags: ['a'.repeat(600)] })
    expect(applyPlatformLimits('local', input)).toEqual({ ...input, warnings: [] })
  })
})

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { formatZodError } from '../../../../src/domain/format-zod-error.js'
import { strictObject } from '../../../../src/domain/resources/strict-object.js'

function messageOf(schema: z.ZodType, input: unknown, where?: string, reportInput = true): string {
  const r = schema.safeParse(input, { reportInput })
  if (r.success) throw new Error('expected a failure')
  return formatZodError(r.error, where)
}

describe('formatZodError', () => {
  it('names the path, the allowed values and the value given', () => {
    const schema = z.object({ preset_metadata: z.object({ privacy: z.enum(['private', 'unlisted', 'public']) }) })
    expect(messageOf(schema, { preset_metadata: { privacy: 'secret' } })).toBe(
      "preset_metadata.privacy: expected one of private, unlisted, public (got 'secret')",
    )
  })

  it('says required for a missing key', () => {
    expect(messageOf(z.object({ name: z.string() }), {})).toBe('name: required')
  })

  it('describes wrong types with the value given', () => {
    expect(messageOf(z.object({ n: z.number().int() }), { n: 1.5 })).toBe('n: expected an integer (got 1.5)')
    expect(messageOf(z.object({ s: z.string() }), { s: [1] })).toBe('s: expected a string (got an array)')
    expect(messageOf(z.string(), 42)).toBe('expected a string (got 42)')
  })

  it('indexes array elements', () => {
    expect(messageOf(z.object({ tags: z.array(z.string()) }), { tags: ['a', null] })).toBe(
      'tags[1]: expected a string (got null)',
    )
  })

  it('describes sizes by kind', () => {
    expect(messageOf(z.object({ name: z.string().min(1) }), { name: '' })).toBe("name: must not be empty (got '')")
    expect(messageOf(z.string().max(3), 'abcd')).toBe("must be at most 3 characters long (got 'abcd')")
    expect(messageOf(z.number().min(0), -1)).toBe('must be >= 0 (got -1)')
    expect(messageOf(z.number().gt(0), 0)).toBe('must be > 0 (got 0)')
    expect(messageOf(z.array(z.number()).max(1), [1, 2])).toBe('must have at most 1 item')
  })

  it('lists unknown keys with the allowed ones for strict objects', () => {
    expect(messageOf(strictObject({ alpha: z.string().optional(), beta: z.string().optional() }), { gamma: 1 })).toBe(
      "unknown key 'gamma' (allowed: alpha, beta)",
    )
  })

  it('keeps messages written for the schema', () => {
    expect(messageOf(z.string().regex(/^\d+$/, 'must be digits'), 'x1')).toBe("must be digits (got 'x1')")
    expect(messageOf(z.number().refine((n) => n % 2 === 0, 'must be even'), 3)).toBe('must be even')
  })

  it('names the discriminator value for a discriminated union', () => {
    const schema = z.discriminatedUnion('platform', [
      z.object({ platform: z.literal('youtube') }),
      z.object({ platform: z.literal('vk') }),
    ])
    expect(messageOf(schema, { platform: 'tiktok' })).toBe("platform: expected one of youtube, vk (got 'tiktok')")
    expect(messageOf(schema, {})).toBe('platform: required (one of youtube, vk)')
  })

  it('prefixes the paths with where', () => {
    expect(messageOf(z.object({ format: z.enum(['a', 'b']) }), { format: 'c' }, 'topics_display')).toBe(
      "topics_display.format: expected one of a, b (got 'c')",
    )
    expect(messageOf(z.array(z.string()), [1], 'tags')).toBe('tags[0]: expected a string (got 1)')
  })

  it('leaves out the value when the schema ran without reportInput', () => {
    expect(messageOf(z.object({ n: z.number() }), { n: 'x' }, undefined, false)).toBe('n: expected a number')
  })

  it('joins several problems and caps the list', () => {
    const schema = z.object(Object.fromEntries('abcdefg'.split('').map((k) => [k, z.string()])))
    const message = messageOf(schema, {})
    expect(message.split('; ')).toHaveLength(6)
    expect(message.endsWith('and 2 more')).toBe(true)
  })

  it('shortens a long value', () => {
    expect(messageOf(z.enum(['a']), 'x'.repeat(100))).toMatch(/\(got 'x{57}\.\.\.'\)$/)
  })
})

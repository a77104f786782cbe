import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { applyPatch, partialSchemaOf, strictObject } from '../../../../src/domain/resources/strict-object.js'

const schema = strictObject({
  name: z.string(),
  privacy: z.enum(['private', 'public']).default('private'),
  max_count: z.number().nullable().default(null),
  display: strictObject({ format: z.string().default('list'), prefix: z.string().default('') }).prefault({}),
})

describe('partialSchemaOf', () => {
  it('makes every key optional and applies no defaults, at any depth', () => {
    const patch = partialSchemaOf(schema)
    expect(patch.parse({})).toEqual({})
    expect(patch.parse({ display: { prefix: 'x' } })).toEqual({ display: { prefix: 'x' } })
  })

  it('keeps the field types, nullability and strictness', () => {
    const patch = partialSchemaOf(schema)
    expect(patch.safeParse({ privacy: 'secret' }).success).toBe(false)
    expect(patch.parse({ max_count: null })).toEqual({ max_count: null })
    expect(patch.safeParse({ name: null }).success).toBe(false)
    const unknown = patch.safeParse({ display: { colour: 'red' } })
    expect(unknown.error?.issues[0]?.message).toMatch(/unknown key 'colour' \(allowed: format, prefix\)/)
  })
})

describe('applyPatch', () => {
  it('merges objects, replaces arrays and scalars, keeps what the patch leaves out', () => {
    const base = { name: 'a', tags: ['x', 'y'], display: { format: 'list', prefix: 'T:' }, n: 1 }
    expect(applyPatch(base, { tags: ['z'], display: { prefix: '' }, n: undefined })).toEqual({
      name: 'a',
      tags: ['z'],
      display: { format: 'list', prefix: '' },
      n: 1,
    })
  })

  it('sets null explicitly and replaces a null with an object', () => {
    expect(applyPatch({ a: { b: 1 } as { b: number } | null }, { a: null })).toEqual({ a: null })
    expect(applyPatch({ a: null as unknown }, { a: { b: 1 } })).toEqual({ a: { b: 1 } })
  })

  it('does not modify the stored value', () => {
    const base = { display: { format: 'list' } }
    applyPatch(base, { display: { format: 'inline' } })
    expect(base.display.format).toBe('list')
  })
})

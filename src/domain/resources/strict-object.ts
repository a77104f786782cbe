import { z } from 'zod'

/**
 * A `z.strictObject` whose unknown-key error names the allowed keys, so a typo in a YAML file or a request body
 * tells the user what they probably meant instead of just what was wrong.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape): z.ZodObject<Shape, z.core.$strict> {
  const allowed = Object.keys(shape).sort()
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')} ` +
          `(allowed: ${allowed.join(', ')})`
        : undefined,
  })
}

/** The type `partialSchemaOf` builds: objects recursively optional, defaults removed, nullability kept. */
export type PartialSchema<T> =
  T extends z.ZodDefault<infer I>
    ? PartialSchema<I>
    : T extends z.ZodPrefault<infer I>
      ? PartialSchema<I>
      : T extends z.ZodOptional<infer I>
        ? PartialSchema<I>
        : T extends z.ZodNullable<infer I>
          ? z.ZodNullable<PartialSchema<I>>
          : T extends z.ZodObject<infer S>
            ? z.ZodObject<{ -readonly [K in keyof S]: z.ZodOptional<PartialSchema<S[K]>> }, z.core.$strict>
            : T

/**
 * The patch (or override) form of a schema: every object key optional, recursively, and no defaults. Defaults
 * must not apply here, or `{privacy: 'public'}` would silently reset every other field to its default when
 * merged. Refinements on objects are dropped; the merged result is validated with the full schema.
 */
export function partialSchemaOf<T extends z.ZodType>(schema: T): PartialSchema<T> {
  return partialOf(schema) as PartialSchema<T>
}

function partialOf(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional) {
    return partialOf(schema.unwrap() as z.ZodType)
  }
  if (schema instanceof z.ZodNullable) return partialOf(schema.unwrap() as z.ZodType).nullable()
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {}
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      shape[key] = partialOf(field).optional()
    }
    return strictObject(shape)
  }
  return schema
}

/**
 * Applies a validated patch to a stored value: objects merge recursively, arrays, scalars and null replace,
 * `undefined` keeps the stored value. Validate the result with the full schema.
 */
export function applyPatch<T extends Record<string, unknown>>(base: T, patch: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    const current = out[key]
    out[key] = isPlainObject(value) && isPlainObject(current) ? applyPatch(current, value) : value
  }
  return out as T
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

import type { z } from 'zod'
import { RecflowError } from '../errors.js'
import { formatZodError } from '../format-zod-error.js'

/**
 * Runs a resource schema and turns a failure into one validation error with a readable message. The issues go
 * to `details` without the offending values, which may be long or private.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true })
  if (result.success) return result.data
  throw new RecflowError('validation', `invalid ${what}: ${formatZodError(result.error)}`, {
    details: result.error.issues.map(({ input: _input, ...issue }) => issue),
  })
}

/** Adds a path to a validation error raised for a nested value (a pattern, a template string). */
export function withPath(path: string, fn: () => void): void {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError && e.code === 'validation') {
      throw new RecflowError('validation', `${path}: ${e.message}`, { hint: e.hint, details: e.details, cause: e })
    }
    throw e
  }
}

import { z } from 'zod'

/** An object whose unknown keys are rejected with a message that lists the allowed ones. */
export function strictSection<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ')
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        const keys = iss.keys.map((k) => JSON.stringify(k)).join(', ')
        return `unknown key${iss.keys.length > 1 ? 's' : ''} ${keys} (allowed keys: ${allowed})`
      }
      return iss.code === 'invalid_type' ? `must be an object with the keys ${allowed}` : undefined
    },
  })
}

import { z } from 'zod'

/** Names are what people pick resources by in the CLI; trimmed so ' Math ' and 'Math' are the same name. */
export const nameSchema = z.string().trim().min(1).max(200)
export const descriptionSchema = z.string().trim().max(2000).nullable().optional()
export const idSchema = z.number().int().positive()

/** A credential id the platform requires; the message says why, since the key is easy to forget. */
export function requiredCredential(what: string) {
  return z
    .number({
      error: (issue) =>
        issue.input === undefined ? `required: ${what} need a credential (credentials come with the YouTube and VK publishing release of recflow)` : undefined,
    })
    .int()
    .positive()
}

/** A credential id on a platform that takes none: only absent or null is accepted. */
export function noCredential(what: string) {
  return z.null({ error: `${what} take no credential; remove credential_id` }).optional()
}

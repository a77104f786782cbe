import { z } from 'zod'

/** Names are what people pick resources by in the CLI; trimmed so ' Math ' and 'Math' are the same name. */
export const nameSchema = z.string().trim().min(1).max(200)
export const descriptionSchema = z.string().trim().max(2000).nullable().optional()
export const idSchema = z.number().int().positive()

/**
 * A credential id the platform requires; the message says why and where one comes from (the platform's sign-in),
 * since the key is easy to forget.
 */
export function requiredCredential(what: string, platform: 'youtube' | 'vk' | 'zoom') {
  return z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `required: ${what} need a credential; sign in with \`recflow auth ${platform}\` and give its id (\`recflow credentials list\` shows them)`
          : undefined,
    })
    .int()
    .positive()
}

/** A credential id on a platform that takes none: only absent or null is accepted. */
export function noCredential(what: string) {
  return z.null({ error: `${what} take no credential; remove credential_id` }).optional()
}

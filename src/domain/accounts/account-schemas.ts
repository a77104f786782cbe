import { z } from 'zod'
import { RecflowError } from '../errors.js'
import { formatZodError } from '../format-zod-error.js'
import { strictObject } from '../resources/strict-object.js'
import { timeZoneSchema } from '../time/time-zone-schema.js'
import { MAX_PASSWORD_LENGTH } from './password-policy.js'

/*
 * The request shapes of the account operations, shared by the service (which validates again) and the daemon's
 * routes (which declare them for OpenAPI). Passwords are never echoed: these schemas are parsed without
 * `reportInput`, so a failure message names the field, not its value.
 */

/** An email address, trimmed and lowercased (addresses compare case-insensitively here). */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'expected an email address such as ann@example.com' }))
  .transform((e) => e.toLowerCase())

/** A password as typed (the policy is checked by the service, which knows the email). */
export const passwordSchema = z.string().min(1, { error: 'the password is empty' }).max(MAX_PASSWORD_LENGTH * 4)

const fullNameSchema = z.string().trim().max(200).nullable()

export const registerSchema = strictObject({ email: emailSchema, password: passwordSchema, full_name: fullNameSchema.optional() })
export const loginSchema = strictObject({ email: z.string().max(254), password: passwordSchema })
export const refreshTokenSchema = strictObject({ refresh_token: z.string().min(1).max(200) })
export const profilePatchSchema = strictObject({
  full_name: fullNameSchema.optional(),
  email: emailSchema.optional(),
  timezone: timeZoneSchema.optional(),
})
export const passwordChangeSchema = strictObject({ current_password: passwordSchema, new_password: passwordSchema })
export const deleteAccountSchema = strictObject({
  password: passwordSchema,
  confirmation: z.literal('DELETE', { error: 'confirmation must be the word DELETE' }),
})

export type RegisterInput = z.input<typeof registerSchema>
export type LoginInput = z.input<typeof loginSchema>
export type ProfilePatchInput = z.input<typeof profilePatchSchema>
export type PasswordChangeInput = z.input<typeof passwordChangeSchema>
export type DeleteAccountInput = z.input<typeof deleteAccountSchema>

/** Parses an account request; a failure is a validation error naming the fields (never their values). */
export function parseAccountInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new RecflowError('validation', `invalid ${what}: ${formatZodError(result.error)}`, {
    details: result.error.issues.map(({ path, message, code }) => ({ path, message, code })),
  })
}

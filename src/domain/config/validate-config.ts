import { RecflowError } from '../errors.js'
import { formatZodError } from '../format-zod-error.js'
import { partialConfigSchema, type PartialConfig } from './partial-schema.js'
import { processingConfigSchema, type ProcessingConfig } from './schema.js'
import { BROKEN_USER_CONFIG_HINT } from './repair-hint.js'

/**
 * Checks one config layer (a user config, a template's processing_config, an override). `where` names the layer
 * in the message, e.g. "template config". Throws RecflowError('validation') listing every problem with its path.
 */
export function validatePartialConfig(value: unknown, where = 'config', hint = 'fix the keys named above; a missing key or `null` inherits the value from the layer below'): PartialConfig {
  const result = partialConfigSchema.safeParse(value ?? {}, { reportInput: true })
  if (result.success) return result.data
  throw new RecflowError('validation', `invalid ${where}: ${formatZodError(result.error)}`, { hint, details: result.error.issues })
}

/** Checks the user's stored layer where it is read (a run, an estimate): a bad value names the commands that repair it. */
export function validateStoredUserConfig(value: unknown): PartialConfig {
  return validatePartialConfig(value, 'user config', BROKEN_USER_CONFIG_HINT)
}

/** Checks a full config and fills in defaults for anything missing. */
export function validateConfig(value: unknown, where = 'config'): ProcessingConfig {
  const result = processingConfigSchema.safeParse(value ?? {}, { reportInput: true })
  if (result.success) return result.data
  throw new RecflowError('validation', `invalid ${where}: ${formatZodError(result.error)}`, {
    details: result.error.issues,
  })
}

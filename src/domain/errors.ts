/**
 * The closed set of errors recflow raises on purpose. Services throw these; the CLI maps `code` to an exit code
 * (src/cli/exit-codes.ts) and the daemon maps it to a problem+json status, each in one place.
 */
export type ErrorCode =
  | 'usage' // malformed input: a flag, a file, a body
  | 'validation' // well-formed but not acceptable (unknown variable, bad regex, limits)
  | 'not_found' // no such row for this user (another user's id looks exactly like a missing one)
  | 'conflict' // state does not allow it (already running, still referenced)
  | 'auth' // credentials missing, expired or revoked
  | 'forbidden' // signed in, but this account may not do it (a role or a permission flag)
  | 'provider' // an external service failed (transient or permanent)
  | 'quota' // a plan limit would be exceeded
  | 'cancelled'
  | 'internal'

export class RecflowError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly details?: unknown

  constructor(code: ErrorCode, message: string, opts: { hint?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'RecflowError'
    this.code = code
    this.hint = opts.hint
    this.details = opts.details
  }
}

export const usageError = (message: string, hint?: string, details?: unknown) =>
  new RecflowError('usage', message, { hint, details })
export const validationError = (message: string, hint?: string, details?: unknown) =>
  new RecflowError('validation', message, { hint, details })
export const notFound = (what: string, id: number | string, hint?: string) =>
  new RecflowError('not_found', `${what} ${id} not found`, { hint })
export const conflict = (message: string, hint?: string) => new RecflowError('conflict', message, { hint })

export function isRecflowError(e: unknown): e is RecflowError {
  return e instanceof RecflowError
}

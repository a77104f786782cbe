import { isRecflowError, RecflowError, type ErrorCode } from '../domain/errors.js'

/*
 * How a failure is stored in `tasks.error` (JSON) and how a stored failure becomes an error again for whoever
 * waits on the task (`tasks watch`, a CLI run). Only plain data crosses: never a stack, never a cause chain.
 */

export interface StoredTaskError {
  code: ErrorCode
  message: string
  hint?: string
  /** True when the failure was worth retrying (a retry was scheduled, or attempts ran out). */
  transient?: boolean
  details?: unknown
}

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'usage', 'validation', 'not_found', 'conflict', 'auth', 'provider', 'quota', 'cancelled', 'internal',
])

/** ProviderError kinds (DESIGN.md §4) and the error code each one surfaces as. */
const PROVIDER_KIND_CODES: Record<string, ErrorCode> = {
  auth: 'auth',
  quota: 'quota',
  not_found: 'not_found',
  rate_limited: 'provider',
  transient: 'provider',
  permanent: 'provider',
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined

function jsonSafe(value: unknown): unknown {
  if (value === undefined) return undefined
  try {
    const text = JSON.stringify(value)
    return text === undefined ? undefined : JSON.parse(text)
  } catch {
    return undefined // circular or a bigint: the message still says what happened
  }
}

export function toStoredError(error: unknown, transient?: boolean): StoredTaskError {
  const out: StoredTaskError = isRecflowError(error)
    ? { code: error.code, message: error.message }
    : { code: codeOfForeign(error), message: error instanceof Error ? error.message : String(error) }
  const hint = isRecflowError(error) ? error.hint : asRecord(error)?.hint
  if (typeof hint === 'string' && hint !== '') out.hint = hint
  const details = jsonSafe(isRecflowError(error) ? error.details : providerFields(error))
  if (details !== undefined) out.details = details
  if (transient !== undefined) out.transient = transient
  return out
}

function codeOfForeign(error: unknown): ErrorCode {
  const kind = asRecord(error)?.kind
  return typeof kind === 'string' ? (PROVIDER_KIND_CODES[kind] ?? 'internal') : 'internal'
}

function providerFields(error: unknown): unknown {
  const e = asRecord(error)
  if (e === undefined || typeof e.kind !== 'string') return undefined
  return { kind: e.kind, provider: e.provider, retryAfterMs: e.retryAfterMs }
}

/** Reads what `toStoredError` wrote; anything unrecognisable (a hand-edited row) reads as internal. */
export function parseStoredError(value: unknown): StoredTaskError | undefined {
  const e = asRecord(value)
  if (e === undefined) return undefined
  const code = typeof e.code === 'string' && ERROR_CODES.has(e.code) ? (e.code as ErrorCode) : 'internal'
  const message = typeof e.message === 'string' ? e.message : 'unknown error'
  const out: StoredTaskError = { code, message }
  if (typeof e.hint === 'string') out.hint = e.hint
  if (typeof e.transient === 'boolean') out.transient = e.transient
  if (e.details !== undefined) out.details = e.details
  return out
}

/** The error a finished task ended with, to throw from whoever waited for it (exit code from its code). */
export function taskFailure(task: { id: number; state: string; error: unknown }): RecflowError {
  if (task.state === 'cancelled') {
    return new RecflowError('cancelled', `task ${task.id} was cancelled`)
  }
  const stored = parseStoredError(task.error) ?? { code: 'internal' as const, message: 'no error was recorded' }
  return new RecflowError(stored.code, `task ${task.id} failed: ${stored.message}`, {
    hint: stored.hint ?? `run \`recflow tasks show ${task.id}\` for its events`,
    details: stored.details,
  })
}

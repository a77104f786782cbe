import { isRecflowError, type ErrorCode } from '../domain/errors.js'
import { exitCodeFor } from './exit-codes.js'

export interface ErrorEnvelope {
  ok: false
  error: { code: ErrorCode; message: string; hint?: string; details?: unknown }
}

interface OclifLikeError {
  message: string
  oclif?: { exit?: number }
  parse?: unknown
  code?: string
}

/** oclif's own argument/flag errors are usage errors; everything unknown is internal. */
export function toErrorEnvelope(err: unknown): { envelope: ErrorEnvelope; exitCode: number; stack?: string } {
  if (isRecflowError(err)) {
    const error: ErrorEnvelope['error'] = { code: err.code, message: err.message }
    if (err.hint) error.hint = err.hint
    if (err.details !== undefined) error.details = err.details
    return { envelope: { ok: false, error }, exitCode: exitCodeFor(err.code) }
  }
  const e = err as OclifLikeError
  if (e && typeof e === 'object' && (e.parse !== undefined || e.oclif?.exit === 2 || e.code === 'EEXIT_USAGE')) {
    return {
      envelope: {
        ok: false,
        error: { code: 'usage', message: cleanOclifMessage(e.message), hint: 'see `recflow <command> --help` for the flags and examples' },
      },
      exitCode: 2,
    }
  }
  const message = err instanceof Error ? err.message : String(err)
  return {
    envelope: {
      ok: false,
      error: {
        code: 'internal',
        message: `unexpected error: ${cleanOclifMessage(message)}`,
        hint: 'rerun with RECFLOW_LOG_LEVEL=debug for details, and report it if it persists',
      },
    },
    exitCode: 1,
    stack: err instanceof Error ? err.stack : undefined,
  }
}

export function cleanOclifMessage(s: string): string {
  // oclif messages carry "See more help with --help" on extra lines; keep the informative part. An indented line
  // continues the one above (oclif wraps a long argument description at the terminal's width): joined by a space.
  return s
    .replace(/\n[ \t]+(?=\S)/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/See more help with/.test(l))
    .join(': ')
    .replace(/:\s*:/g, ':')
}

/**
 * Names the command in the generic "see --help" hint, and gives every error that came without a hint one, so
 * the user always gets a next step: the command's --help where the input was at fault, else what fits the kind
 * of failure (a service that failed is not helped by reading --help). `commandId` is oclif's id ("templates:add").
 */
export function withCommandHint(envelope: ErrorEnvelope, commandId: string | undefined): ErrorEnvelope {
  const command = commandId ? `recflow ${commandId.replaceAll(':', ' ')}` : 'recflow <command>'
  const hint = envelope.error.hint ?? GENERIC_HINTS[envelope.error.code] ?? `see \`${command} --help\` for the arguments, flags and examples`
  return { ...envelope, error: { ...envelope.error, hint: hint.replaceAll('recflow <command>', command) } }
}

/** The hint of an error that came without one, by code; the others get the command's --help. */
const GENERIC_HINTS: Partial<Record<ErrorCode, string>> = {
  provider: 'the service failed; try again later (RECFLOW_LOG_LEVEL=debug shows the exchange)',
  cancelled: 'run the same command again to resume',
  internal: 'rerun with RECFLOW_LOG_LEVEL=debug for details, and report it if it persists',
}

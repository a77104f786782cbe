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
        error: { code: 'usage', message: firstLine(e.message), hint: 'see `recflow <command> --help` for the flags and examples' },
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
        message: `unexpected error: ${firstLine(message)}`,
        hint: 'rerun with RECFLOW_LOG_LEVEL=debug for details, and report it if it persists',
      },
    },
    exitCode: 1,
    stack: err instanceof Error ? err.stack : undefined,
  }
}

function firstLine(s: string): string {
  // oclif messages carry "See more help with --help" on extra lines; keep the informative part.
  return s.split('\n').filter((l) => l.trim() !== '' && !/See more help with/.test(l)).join('; ').trim()
}

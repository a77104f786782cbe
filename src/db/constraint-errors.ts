import { RecflowError } from '../domain/errors.js'

/*
 * Maps driver constraint violations to RecflowErrors. SQLite (better-sqlite3) reports `SQLITE_CONSTRAINT_*` codes,
 * PostgreSQL (pg) SQLSTATE class 23; both are recognised here so the repositories stay dialect-free.
 */

type Violation = 'unique' | 'foreign_key' | 'check' | 'not_null'

const CODES: Record<string, Violation> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
}

export function violationOf(error: unknown): Violation | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? CODES[code] : undefined
}

/** Runs a write and rethrows constraint violations as RecflowErrors naming `what` (e.g. "template"). */
export async function guardWrite<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    throw translate(what, error)
  }
}

function translate(what: string, error: unknown): unknown {
  switch (violationOf(error)) {
    case 'unique': {
      const columns = uniqueColumns(error)
      const key = columns.length > 0 ? `this ${columns.join(' and ')}` : 'the same unique key'
      return new RecflowError('conflict', `a ${what} with ${key} already exists`, {
        hint: `choose another ${columns[0] ?? 'value'} or change the existing ${what}`,
        cause: error,
      })
    }
    case 'foreign_key':
      return new RecflowError('conflict', `the ${what} is still referenced, or references a row that does not exist`, {
        cause: error,
      })
    case 'check':
      return new RecflowError('validation', `a value of the ${what} is not allowed: ${(error as Error).message}`, {
        cause: error,
      })
    case 'not_null':
      return new RecflowError('validation', `a required value of the ${what} is missing: ${(error as Error).message}`, {
        cause: error,
      })
    default:
      return error
  }
}

/** The columns of the violated unique key, without user_id (the caller's own). */
function uniqueColumns(error: unknown): string[] {
  const { message, detail } = error as { message?: unknown; detail?: unknown }
  // SQLite: "UNIQUE constraint failed: recording_templates.user_id, recording_templates.name"
  const sqlite = typeof message === 'string' ? /UNIQUE constraint failed: (.+)$/.exec(message)?.[1] : undefined
  // PostgreSQL: detail "Key (user_id, name)=(1, Lectures) already exists."
  const postgres = typeof detail === 'string' ? /^Key \(([^)]+)\)/.exec(detail)?.[1] : undefined
  const list = sqlite ?? postgres
  if (list === undefined) return []
  return list
    .split(',')
    .map((column) => column.trim().split('.').pop() ?? '')
    .filter((column) => column !== '' && column !== 'user_id')
}

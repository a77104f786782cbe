import type { ErrorCode } from '../domain/errors.js'

/** DESIGN.md §6: 0 ok, 1 unexpected, 2 usage, 3 not found, 4 auth needed, 5 provider, 6 quota, 130 cancelled. */
export const EXIT_CODES: Record<ErrorCode, number> = {
  usage: 2,
  validation: 2,
  not_found: 3,
  conflict: 1,
  auth: 4,
  forbidden: 4,
  provider: 5,
  quota: 6,
  cancelled: 130,
  internal: 1,
}

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code]
}

import type { z } from 'zod'

const MAX_ISSUES = 5

function describeInput(input: unknown): string {
  if (input === undefined) return ''
  const text = JSON.stringify(input)
  if (text === undefined) return ''
  return ` (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`
}

/**
 * Turns zod issues into one readable line per problem, each prefixed by its dotted path:
 * `processing.padding_before: must be >= 0 seconds (got -3)`. Parse with `{ reportInput: true }` to get the
 * "(got ...)" part.
 */
export function formatConfigIssues(issues: readonly z.core.$ZodIssue[], prefix?: string): string {
  const lines = issues.slice(0, MAX_ISSUES).map((iss) => {
    const path = [prefix, ...iss.path.map(String)].filter((p) => p !== undefined && p !== '').join('.')
    const got = iss.code === 'unrecognized_keys' || iss.code === 'invalid_union' ? '' : describeInput(iss.input)
    return `${path === '' ? '' : `${path}: `}${iss.message}${got}`
  })
  if (issues.length > MAX_ISSUES) lines.push(`... and ${issues.length - MAX_ISSUES} more`)
  return lines.join('; ')
}

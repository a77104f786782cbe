import type { z } from 'zod'

const MAX_ISSUES = 5

/**
 * One readable line for a schema failure, used by every command, route and config layer:
 * "preset_metadata.privacy: expected one of private, unlisted, public (got 'secret')".
 * `where` prefixes the paths (e.g. 'topics_display' or '--file preset.yaml'). Values are shown when the schema
 * was run with `{reportInput: true}`.
 */
export function formatZodError(err: Pick<z.ZodError, 'issues'>, where?: string): string {
  const lines = flatten(err.issues).map((issue) => {
    const at = label(where, issue.path)
    return at === '' ? describe(issue) : `${at}: ${describe(issue)}`
  })
  const unique = [...new Set(lines)]
  const shown = unique.slice(0, MAX_ISSUES)
  if (unique.length > MAX_ISSUES) shown.push(`and ${unique.length - MAX_ISSUES} more`)
  return shown.join('; ')
}

type Issue = z.core.$ZodIssue

// Element and key issues wrap the real ones; report those at their full path.
function flatten(issues: readonly Issue[], base: readonly PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path]
    if ((issue.code === 'invalid_element' || issue.code === 'invalid_key') && issue.issues.length > 0) {
      return flatten(issue.issues, path)
    }
    return [{ ...issue, path } as Issue]
  })
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out
}

function label(where: string | undefined, path: readonly PropertyKey[]): string {
  const p = formatPath(path)
  if (where === undefined || where === '') return p
  if (p === '') return where
  return p.startsWith('[') ? `${where}${p}` : `${where}.${p}`
}

// zod's own English messages; anything else was written for the schema and is said as is.
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)\b/

function describe(issue: Issue): string {
  if (issue.code !== 'custom' && issue.code !== 'invalid_union' && !DEFAULT_MESSAGE.test(issue.message)) {
    return issue.code === 'unrecognized_keys' ? issue.message : `${issue.message}${got(issue)}`
  }
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined && 'input' in issue) return 'required'
      return `expected ${article(issue.expected)}${got(issue)}`
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${show(issue.values[0])}${got(issue)}`
        : `expected one of ${issue.values.map((v) => (typeof v === 'string' ? v : show(v))).join(', ')}${got(issue)}`
    case 'unrecognized_keys':
      return `unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`
    case 'too_small':
      return sizeMessage('at least', issue.origin, issue.minimum, issue.inclusive ?? true, issue)
    case 'too_big':
      return sizeMessage('at most', issue.origin, issue.maximum, issue.inclusive ?? true, issue)
    case 'invalid_format':
      return issue.format === 'regex' ? `must match ${issue.pattern ?? 'the expected pattern'}${got(issue)}` : `expected a valid ${issue.format}${got(issue)}`
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}${got(issue)}`
    case 'invalid_union':
      return unionMessage(issue)
    case 'invalid_key':
      return `invalid key${got(issue)}`
    case 'invalid_element':
      return `invalid element${got(issue)}`
    case 'custom':
      return issue.message
  }
}

function unionMessage(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const extra = issue as { discriminator?: string; options?: unknown[] }
  if (extra.discriminator !== undefined && Array.isArray(extra.options)) {
    const input = issue.input as Record<string, unknown> | undefined
    const value = input !== null && typeof input === 'object' ? input[extra.discriminator] : undefined
    const options = extra.options.map((o) => String(o)).join(', ')
    return value === undefined ? `required (one of ${options})` : `expected one of ${options} (got ${show(value)})`
  }
  // Report the alternative that got furthest: its first issue is usually the useful one.
  const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]
  const first = best?.[0]
  if (first !== undefined && first.path.length > 0) return `${formatPath(first.path)}: ${describe(first)}`
  const alternatives = issue.errors.map((e) => e[0]).filter((e): e is Issue => e !== undefined).map(describe)
  return alternatives.length > 0 ? `${[...new Set(alternatives)].join(', or ')}` : 'does not match any allowed form'
}

function depth(issues: readonly Issue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length))
}

function sizeMessage(bound: string, origin: string, limit: number | bigint, inclusive: boolean, issue: Issue): string {
  const n = Number(limit)
  switch (origin) {
    case 'string':
      if (bound === 'at least' && n === 1) return `must not be empty${got(issue)}`
      return `must be ${bound} ${n} character${n === 1 ? '' : 's'} long${got(issue)}`
    case 'array':
    case 'set':
      return `must have ${bound} ${n} item${n === 1 ? '' : 's'}`
    default: {
      const op = bound === 'at least' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<'
      return `must be ${op} ${n}${got(issue)}`
    }
  }
}

function got(issue: Issue): string {
  if (!('input' in issue) || issue.input === undefined) return ''
  return ` (got ${show(issue.input)})`
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (typeof v === 'string') return `'${v.length > 60 ? `${v.slice(0, 57)}...` : v}'`
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  return String(v)
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer'
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`
}

import { DEFAULT_PAGE_LIMIT } from '../page-flags.js'

/** Plain-text tables for terminals: columns padded to the widest cell, long cells cut with an ellipsis. */
export interface Column<T> {
  header: string
  value: (row: T) => unknown
  max?: number
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '-'
  if (Array.isArray(v)) return v.length === 0 ? '-' : v.join(', ')
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'object') return JSON.stringify(v)
  return visible(String(v).replace(/\s+/g, ' '))
}

/**
 * File names and failure reasons can hold escape or control characters (a file named with `\x1b[2J` clears the
 * screen): print them as visible escapes, never raw, so the cell stays one honest line of text.
 */
const visible = (s: string): string =>
  s.replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)

const cut = (s: string, max: number) => ([...s].length > max ? [...s].slice(0, max - 1).join('') + '…' : s)

export function table<T>(rows: readonly T[], columns: Column<T>[], empty = 'nothing to show'): string {
  if (rows.length === 0) return empty
  const cells = rows.map((r) => columns.map((c) => cut(cell(c.value(r)), c.max ?? 60)))
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => [...row[i]!].length)))
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v + ' '.repeat(widths[i]! - [...v].length)))
      .join('  ')
      .trimEnd()
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n')
}

/** `key: value` lines for one object; nested objects are shown as an indented tree (see `tree`). */
export function details(entries: Array<[string, unknown]>): string {
  const width = Math.max(...entries.map(([k]) => k.length))
  return entries
    .map(([k, v]) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) return [`${k}:`, ...tree(v, '  ')].join('\n')
      return `${(k + ':').padEnd(width + 1)} ${cell(v)}`
    })
    .join('\n')
}

/**
 * A nested value as YAML-like lines (`key: value`, `- item`), written here so no command loads the yaml package
 * to show one: strings appear as the user wrote them (`^DS lecture \d+`, not JSON's `^DS lecture \\d+`), quoted
 * only when empty or padded with spaces, control characters made visible, several lines as a `|` block.
 */
export function tree(value: unknown, indent = ''): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`]
    return value.flatMap((item) => nested(item, `${indent}- `, indent + '  '))
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 0) return [`${indent}{}`]
    return entries.flatMap(([k, v]) => nested(v, `${indent}${k}:`, indent + '  ', ' '))
  }
  return [indent + scalar(value, indent)]
}

/** One entry: a scalar on the label's line, a non-empty list or mapping on the lines below (an item's first line beside its dash). */
function nested(v: unknown, label: string, inner: string, gap = ''): string[] {
  const isList = Array.isArray(v) && v.length > 0
  const isMap = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0
  if (!isList && !isMap) return [`${label}${gap}${Array.isArray(v) ? '[]' : v !== null && typeof v === 'object' ? '{}' : scalar(v, inner)}`]
  if (gap === '') {
    // A list item: its first line goes beside the dash, the rest keep the item's indentation.
    const [first, ...rest] = tree(v, inner)
    return [`${label}${first!.slice(inner.length)}`, ...rest]
  }
  return [label, ...tree(v, inner)]
}

function scalar(v: unknown, indent: string): string {
  if (v === null || v === undefined) return '-'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v !== 'string') return String(v)
  if (v.includes('\n')) return ['|', ...v.split('\n').map((line) => `${indent}${visible(line)}`)].join('\n')
  return v === '' || v !== v.trim() ? `"${visible(v)}"` : visible(v)
}

/**
 * The flags a list was asked with, written back as command-line arguments (`--platform youtube --active-only`), so
 * the next-page hint keeps the filters and an empty list can say what matched nothing. Flags at their default
 * (`defaults`) and absent ones are left out; a value is quoted for the shell when it needs it.
 */
export function flagArgs(flags: Record<string, unknown>, names: readonly string[], defaults: Record<string, unknown> = {}): string {
  const args: string[] = []
  for (const name of names) {
    const value = flags[name]
    if (value === undefined || value === defaults[name]) continue
    if (typeof value === 'boolean') args.push(value ? `--${name}` : `--no-${name}`)
    else for (const v of Array.isArray(value) ? value : [value]) args.push(`--${name}`, shellQuote(String(v)))
  }
  return args.join(' ')
}

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`)

export function nextPageHint(nextCursor: string | null, command: string): string[] {
  return nextCursor ? ['', `More results: ${command} --cursor ${nextCursor}`] : []
}

/** The command that lists the next page: the same filters (already rendered) and a --limit that is not the default. */
export function listCommandLine(command: string, filters: string, flags: Record<string, unknown>): string {
  return [command, filters, flagArgs(flags, ['limit'], { limit: DEFAULT_PAGE_LIMIT })].filter(Boolean).join(' ')
}

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

/** `key: value` lines for one object; nested objects are shown as indented JSON. */
export function details(entries: Array<[string, unknown]>): string {
  const width = Math.max(...entries.map(([k]) => k.length))
  return entries
    .map(([k, v]) => {
      const text =
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? '\n' + JSON.stringify(v, null, 2).replace(/^/gm, '  ')
          : cell(v)
      return `${(k + ':').padEnd(width + 1)} ${text}`
    })
    .join('\n')
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

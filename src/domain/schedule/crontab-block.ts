/*
 * recflow's block in a user's crontab, as pure text edits: the block is found by its two marker lines, replaced in
 * place when present, appended otherwise, and removed without touching a byte of the user's own lines.
 */

export const CRON_BLOCK_BEGIN = '# BEGIN recflow (managed; do not edit)'
export const CRON_BLOCK_END = '# END recflow'

/** Where our block sits in `table`: [start, end) in characters, end after the END line's newline. */
function blockRange(table: string): { start: number; end: number } | null {
  const lines = table.split('\n')
  let offset = 0
  let start = -1
  for (const line of lines) {
    const next = offset + line.length + 1
    if (start === -1 && line === CRON_BLOCK_BEGIN) start = offset
    else if (start !== -1 && line === CRON_BLOCK_END) return { start, end: Math.min(next, table.length) }
    offset = next
  }
  // A BEGIN without an END (a hand edit cut it): everything from BEGIN on is ours.
  return start === -1 ? null : { start, end: table.length }
}

/** Our block's lines (markers included), or null when the table has none. */
export function findCronBlock(table: string): string[] | null {
  const range = blockRange(table)
  return range === null ? null : table.slice(range.start, range.end).replace(/\n$/, '').split('\n')
}

/** The table with our block holding `lines`: replaced where it was, else appended (after a newline if needed). */
export function withCronBlock(table: string, lines: readonly string[]): string {
  const block = [CRON_BLOCK_BEGIN, ...lines, CRON_BLOCK_END].join('\n') + '\n'
  const range = blockRange(table)
  if (range !== null) return table.slice(0, range.start) + block + table.slice(range.end)
  const sep = table === '' || table.endsWith('\n') ? '' : '\n'
  return table + sep + block
}

/** The table without our block; the user's lines stay byte for byte. */
export function withoutCronBlock(table: string): string {
  const range = blockRange(table)
  return range === null ? table : table.slice(0, range.start) + table.slice(range.end)
}

/** A word for /bin/sh in a crontab line: single-quoted, and `%` escaped (cron turns a bare % into a newline). */
export function cronShellWord(word: string): string {
  if (/[\n\r]/.test(word)) throw new Error(`a crontab line cannot hold a line break: ${JSON.stringify(word)}`)
  const quoted = /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
  return quoted.replace(/%/g, '\\%')
}

export interface TickLineInput {
  /** Environment the tick needs (RECFLOW_HOME or the XDG folders, PATH for ffmpeg): cron's own is minimal. */
  env: ReadonlyArray<readonly [string, string]>
  node: string
  runJs: string
  log: string
}

/** `* * * * * VAR=… /abs/node /abs/bin/run.js scheduler tick >> LOG 2>&1` */
export function schedulerTickLine(input: TickLineInput): string {
  const env = input.env.map(([k, v]) => `${k}=${cronShellWord(v)}`)
  return ['* * * * *', ...env, cronShellWord(input.node), cronShellWord(input.runJs), 'scheduler tick >>', cronShellWord(input.log), '2>&1'].join(' ')
}

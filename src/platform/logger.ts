/**
 * A small structured logger that writes to stderr (stdout belongs to command output) and redacts anything that
 * looks like a secret, so a token can never reach a log line by accident.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug'
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 }

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  debug(msg: string, fields?: Record<string, unknown>): void
}

const SECRET_KEY = /(token|secret|password|authorization|api[_-]?key|client[_-]?secret|cookie|code_verifier)/i

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)
  return out
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] > ORDER[level]) return
    const extra = fields ? ' ' + JSON.stringify(redact(fields)) : ''
    write(`${new Date().toISOString()} ${lvl} ${msg}${extra}\n`)
  }
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') }
}

/**
 * The daemon's logger: one JSON object per line (`time`, `level`, `msg`, then the fields, redacted like the text
 * logger's), for log files and journald alike. Fields named time/level/msg cannot overwrite the line's own.
 */
export function createJsonLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] > ORDER[level]) return
    const { time: _t, level: _l, msg: _m, ...extra } = fields ? (redact(fields) as Record<string, unknown>) : {}
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...extra }) + '\n')
  }
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') }
}

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} }

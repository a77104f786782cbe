import type { ErrorEnvelope } from './error-envelope.js'

/**
 * Prints an error the one recflow way: under --json the envelope on stdout (so scripts get exactly one document),
 * else `Error:` and `Hint:` lines on stderr, with the stack only when debugging an unexpected error.
 */
export function printError(envelope: ErrorEnvelope, opts: { json: boolean; stack?: string }): void {
  if (opts.json) {
    process.stdout.write(JSON.stringify(envelope, null, 2) + '\n')
    return
  }
  const lines = [`Error: ${envelope.error.message}`]
  if (envelope.error.hint) lines.push(`Hint: ${envelope.error.hint}`)
  if (opts.stack) lines.push(opts.stack)
  process.stderr.write(lines.join('\n') + '\n')
}

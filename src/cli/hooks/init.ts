import type { Hook } from '@oclif/core'
import { printError } from '../print-error.js'
import { versionEnvelope } from '../version.js'

/**
 * Two answers oclif would give as plain text where a script asked for JSON:
 * - `recflow --version --json`: oclif prints `config.userAgent` for --version whatever follows, so under --json
 *   the user agent becomes the envelope `{"ok":true,"data":{"version":…}}`;
 * - a topic ("recflow recordings --json") prints its help: a usage error (exit 2) with the error envelope instead.
 */
const hook: Hook.Init = async function (opts) {
  const id = opts.id
  if (!id || !opts.argv.includes('--json')) return
  if (id === '--version') {
    ;(opts.config as { userAgent: string }).userAgent = JSON.stringify(versionEnvelope(opts.config.version), null, 2)
    return
  }
  if (opts.argv.includes('--help') || opts.config.findCommand(id) || !opts.config.findTopic(id)) return
  const topic = id.replaceAll(':', ' ')
  printError(
    { ok: false, error: { code: 'usage', message: `"${topic}" is a topic, not a command`, hint: `\`recflow ${topic} --help\` lists its commands` } },
    { json: true },
  )
  this.exit(2)
}

export default hook

import type { Hook } from '@oclif/core'
import { closestCommands } from '../closest-commands.js'
import { printError } from '../print-error.js'
import { versionEnvelope } from '../version.js'

/**
 * oclif calls this for a command it does not know ("recrodings list"): usage error, exit 2, with the closest
 * commands as the hint, and the error envelope under --json. `--json --version` also lands here (oclif only
 * takes --version as the first word).
 */
const hook: Hook.CommandNotFound = async function (opts) {
  const argv = opts.argv ?? []
  const json = argv.includes('--json') || opts.id === '--json'
  const words = opts.id.split(':')
  if (opts.id.startsWith('-')) {
    if (argv.includes('--version')) {
      process.stdout.write((json ? JSON.stringify(versionEnvelope(opts.config.version), null, 2) : opts.config.userAgent) + '\n')
      return
    }
  }
  const known = [...opts.config.commandIDs, ...opts.config.topics.map((t) => t.name)].filter((n) => !n.startsWith('-')).map((n) => n.replaceAll(':', ' '))
  const guess = opts.id.startsWith('-') ? { typed: opts.id, suggestions: [] } : closestCommands(words, known)
  const message = opts.id.startsWith('-') ? `no command given before ${opts.id}` : `unknown command "${guess.typed}"`
  const list = guess.suggestions.map((s) => `\`${s}\``)
  const didYouMean = list.length === 0 ? '' : `did you mean ${list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`}? `
  // A topic typed right and a command it does not have ("cron list"): its own help lists what it has.
  const topic = list.length === 0 ? topicTyped(words, opts.config.topics.map((t) => t.name)) : undefined
  const help = topic ? `\`recflow ${topic.replaceAll(':', ' ')} --help\` lists its commands` : '`recflow --help` lists every command'
  printError(
    { ok: false, error: { code: 'usage', message, hint: `${didYouMean}${help}` } },
    { json },
  )
  this.exit(2)
}

/** The longest known topic the typed words start with ("cron" of cron:list), if any. */
function topicTyped(words: readonly string[], topics: readonly string[]): string | undefined {
  for (let n = words.length - 1; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    if (topics.includes(id)) return id
  }
  return undefined
}

export default hook

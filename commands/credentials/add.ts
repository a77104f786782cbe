import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { addedText } from '../../src/cli/presenters/credentials.js'
import { readSecret } from '../../src/cli/read-secret.js'
import { usageError } from '../../src/domain/errors.js'
import { ZOOM_WEBHOOK_KIND } from '../../src/domain/credentials/zoom-webhook.js'
import { API_KEY_KINDS, normalizeBaseUrl, type ApiKeyKindName } from '../../src/domain/credentials/api-key.js'

export default class CredentialsAdd extends BaseCommand<typeof CredentialsAdd> {
  static override summary = 'Stores an API key (Fireworks, OpenAI-compatible or DeepSeek) or a Zoom webhook secret token in the secret store.'
  static override description =
    'Without --api-key the key is asked for with a hidden prompt on a terminal, or read as one line from stdin when piped (a flag value can end up in your shell history). The database keeps only a reference to the key.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> fireworks',
    'printf %s "$DEEPSEEK_API_KEY" | <%= config.bin %> <%= command.id %> deepseek --name work',
    '<%= config.bin %> <%= command.id %> openai --name groq --base-url https://api.groq.com/openai --api-key gsk_...',
    'printf %s "$ZOOM_WEBHOOK_SECRET_TOKEN" | <%= config.bin %> <%= command.id %> zoom-webhook',
  ]
  // Not strict: a key given as a second argument is refused below without being echoed (oclif would print it).
  static override strict = false
  // ignoreStdin: oclif would otherwise fill a missing arg from stdin, which carries the key.
  static override args = {
    kind: Args.string({ required: true, options: [...API_KEY_KINDS, ZOOM_WEBHOOK_KIND], description: 'Which service the key is for.', ignoreStdin: true }),
  }
  static override flags = {
    name: Flags.string({ summary: 'A name to tell keys of one kind apart (default: the kind, numbered when taken).' }),
    'api-key': Flags.string({ summary: 'The key (else a hidden prompt, or one line from stdin).' }),
    'secret-token': Flags.string({ summary: 'zoom-webhook: the Zoom app\'s Secret Token (else a hidden prompt, or one line from stdin).' }),
    'base-url': Flags.string({ summary: 'Service root for this key, e.g. a local whisper.cpp server or Groq (default: the kind\'s own).' }),
  }

  async run() {
    const { args, argv, flags } = await this.parse(CredentialsAdd)
    if (argv.length > 1) {
      throw usageError('credentials add takes one argument, the kind; the key is not an argument', 'give it with --api-key, or leave it out to be asked for it (or pipe it on stdin)')
    }
    const kind = args.kind as ApiKeyKindName | typeof ZOOM_WEBHOOK_KIND
    const webhook = kind === ZOOM_WEBHOOK_KIND
    // Checked before the prompt, so a typo in the URL does not cost typing the key.
    if (webhook && (flags['base-url'] !== undefined || flags['api-key'] !== undefined)) {
      throw usageError('a zoom-webhook credential takes --secret-token (or stdin), not --api-key or --base-url')
    }
    if (!webhook && flags['secret-token'] !== undefined) throw usageError('--secret-token is for zoom-webhook credentials', 'give an API key with --api-key')
    if (flags['base-url'] !== undefined) normalizeBaseUrl(flags['base-url'])
    const apiKey = webhook
      ? (flags['secret-token'] ?? (await readSecret({ prompt: 'Zoom webhook secret token (input hidden): ' })))
      : (flags['api-key'] ?? (await readSecret({ prompt: `${kind} API key (input hidden): ` })))
    const app = await this.app(flags)
    const credentials = await app.service('credentials')
    const added = await credentials.add(app.localUser, { kind, apiKey, name: flags.name, baseUrl: flags['base-url'] })
    return this.present(added, addedText)
  }
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { addedText, zoomServerToServerText } from '../../src/cli/presenters/credentials.js'
import { readSecret } from '../../src/cli/read-secret.js'
import { usageError } from '../../src/domain/errors.js'
import { ZOOM_WEBHOOK_KIND } from '../../src/domain/credentials/zoom-webhook.js'
import { API_KEY_KINDS, normalizeBaseUrl, type ApiKeyKindName } from '../../src/domain/credentials/api-key.js'

export default class CredentialsAdd extends BaseCommand<typeof CredentialsAdd> {
  static override summary =
    'Stores an API key (Fireworks, OpenAI-compatible or DeepSeek), a Zoom Server-to-Server app or a Zoom webhook secret token in the secret store.'
  static override description =
    'Without --api-key the key is asked for with a hidden prompt on a terminal, or read as one line from stdin when piped (a flag value can end up in your shell history). The database keeps only a reference to the key.\n\n`zoom` stores a Server-to-Server OAuth app (--account-id, --client-id, and --client-secret or stdin): one access token is fetched at once to check them, and a new one whenever it expires (there is no refresh token). For a Zoom user sign-in use `recflow auth zoom`.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> fireworks',
    'printf %s "$DEEPSEEK_API_KEY" | <%= config.bin %> <%= command.id %> deepseek --name work',
    '<%= config.bin %> <%= command.id %> openai --name groq --base-url https://api.groq.com/openai --api-key gsk_...',
    'printf %s "$ZOOM_WEBHOOK_SECRET_TOKEN" | <%= config.bin %> <%= command.id %> zoom-webhook',
    'printf %s "$ZOOM_CLIENT_SECRET" | <%= config.bin %> <%= command.id %> zoom --account-id AbC123 --client-id xYz789',
  ]
  // Not strict: a key given as a second argument is refused below without being echoed (oclif would print it).
  static override strict = false
  // ignoreStdin: oclif would otherwise fill a missing arg from stdin, which carries the key.
  static override args = {
    kind: Args.string({ required: true, options: [...API_KEY_KINDS, ZOOM_WEBHOOK_KIND, 'zoom'], description: 'Which service the key is for.', ignoreStdin: true }),
  }
  static override flags = {
    name: Flags.string({ summary: 'A name to tell keys of one kind apart (default: the kind, numbered when taken).' }),
    'api-key': Flags.string({ summary: 'The key (else a hidden prompt, or one line from stdin).' }),
    'secret-token': Flags.string({ summary: 'zoom-webhook: the Zoom app\'s Secret Token (else a hidden prompt, or one line from stdin).' }),
    'account-id': Flags.string({ summary: 'zoom: the Server-to-Server app\'s Account ID.' }),
    'client-id': Flags.string({ summary: 'zoom: the Server-to-Server app\'s Client ID.' }),
    'client-secret': Flags.string({ summary: 'zoom: the Server-to-Server app\'s Client Secret (else a hidden prompt, or one line from stdin).' }),
    'base-url': Flags.string({ summary: 'Service root for this key, e.g. a local whisper.cpp server or Groq (default: the kind\'s own).' }),
  }

  async run() {
    const { args, argv, flags } = await this.parse(CredentialsAdd)
    if (argv.length > 1) {
      throw usageError('credentials add takes one argument, the kind; the key is not an argument', 'give it with --api-key, or leave it out to be asked for it (or pipe it on stdin)')
    }
    if (args.kind === 'zoom') return this.addZoomServerToServer(flags)
    const s2sFlag = (['account-id', 'client-id', 'client-secret'] as const).find((f) => flags[f] !== undefined)
    if (s2sFlag) throw usageError(`--${s2sFlag} is for zoom (Server-to-Server) credentials`, 'see `recflow credentials add --help`')
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

  /** `credentials add zoom`: the three values checked with one token, then stored (secret only in the secret store). */
  private async addZoomServerToServer(flags: { name?: string; home?: string; 'account-id'?: string; 'client-id'?: string; 'client-secret'?: string; 'api-key'?: string; 'secret-token'?: string; 'base-url'?: string }) {
    const other = (['api-key', 'secret-token', 'base-url'] as const).find((f) => flags[f] !== undefined)
    if (other) throw usageError(`a zoom credential takes --account-id, --client-id and --client-secret, not --${other}`)
    const missing = (['account-id', 'client-id'] as const).filter((f) => flags[f] === undefined)
    if (missing.length > 0) {
      throw usageError(
        `credentials add zoom needs ${missing.map((f) => `--${f}`).join(' and ')}`,
        'copy them from your Server-to-Server app (marketplace.zoom.us → Manage → the app → App Credentials): `recflow credentials add zoom --account-id A --client-id ID` (the secret on stdin)',
      )
    }
    const clientSecret = flags['client-secret'] ?? (await readSecret({ prompt: 'Zoom client secret (input hidden): ' }))
    const app = await this.app(flags)
    const auth = await app.service('auth')
    const added = await auth.addZoomServerToServer(app.localUser, { accountId: flags['account-id']!, clientId: flags['client-id']!, clientSecret, name: flags.name })
    return this.present(added, zoomServerToServerText)
  }
}

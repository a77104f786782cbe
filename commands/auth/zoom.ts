import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { signedInText } from '../../src/cli/presenters/auth.js'
import { registeredRedirectUri, signInFlags, signInTimeoutMs, terminalSignInIo } from '../../src/cli/sign-in.js'
import { usageError } from '../../src/domain/errors.js'

export default class AuthZoom extends BaseCommand<typeof AuthZoom> {
  static override summary = 'Signs in to Zoom (user-level OAuth) in the browser and stores the tokens (your Zoom email as the account).'
  static override description =
    'Zoom\'s authorization code flow with PKCE for a user-managed (General) app: the browser comes back to a loopback server on --redirect-uri, which must be in the app\'s OAuth allow list (default http://127.0.0.1:53682/callback). Zoom replaces the refresh token on every refresh; recflow stores each new pair before using it. The URL is always printed on stderr; --no-browser only prints it, --manual also takes the redirect URL pasted on stdin. Tokens and the client secret go to the secret store only.\n\nFor a Server-to-Server app use `recflow credentials add zoom` instead.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --client-id AbCdEf123 --client-secret s3cr3t',
    '<%= config.bin %> <%= command.id %> --client-id AbCdEf123 --client-secret s3cr3t --redirect-uri http://localhost:8080/zoom --manual',
  ]
  static override flags = {
    'client-id': Flags.string({ summary: 'The Zoom app\'s Client ID.', required: true }),
    'client-secret': Flags.string({ summary: 'The Zoom app\'s Client Secret.', required: true }),
    'redirect-uri': Flags.string({ summary: 'A redirect URL in the app\'s allow list, on 127.0.0.1 or localhost (default http://127.0.0.1:53682/callback).' }),
    name: Flags.string({ summary: 'A name for the credential (default: your Zoom email).' }),
    ...signInFlags,
  }

  async run() {
    const { flags } = await this.parse(AuthZoom)
    // Everything the user gave is checked before the browser opens.
    const clientId = flags['client-id'].trim()
    const clientSecret = flags['client-secret'].trim()
    if (clientId === '' || /\s/.test(clientId)) throw usageError('--client-id must be the app\'s Client ID (one word)', 'copy it from marketplace.zoom.us → Manage → your app → App Credentials')
    if (clientSecret === '' || /\s/.test(clientSecret)) throw usageError('--client-secret must be the app\'s Client Secret (one word)', 'copy it from marketplace.zoom.us → Manage → your app → App Credentials')
    const timeoutMs = signInTimeoutMs(flags.timeout)
    const redirectUri = registeredRedirectUri(flags['redirect-uri'], 'an OAuth redirect / allow-list URL of the Zoom app')
    const app = await this.app(flags)
    const auth = await app.service('auth')
    const io = terminalSignInIo(flags, app.env)
    try {
      const view = await auth.signInZoom(app.localUser, { clientId, clientSecret, name: flags.name, timeoutMs, redirectUri }, io)
      return this.present(view, signedInText)
    } finally {
      io.close()
    }
  }
}

import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { signedInText } from '../../src/cli/presenters/auth.js'
import { registeredRedirectUri, signInFlags, signInTimeoutMs, terminalSignInIo } from '../../src/cli/sign-in.js'
import { usageError } from '../../src/domain/errors.js'

export default class AuthVk extends BaseCommand<typeof AuthVk> {
  static override summary = 'Signs in to VK (VK ID) in the browser and stores the tokens (your VK name as the account).'
  static override description =
    'VK ID OAuth 2.1 with PKCE: the browser comes back to a loopback server on --redirect-uri, which must be a trusted redirect URL of the VK ID app (default http://127.0.0.1:53682/callback); the device_id VK returns is kept for refreshes, and refresh tokens rotate. --client-secret only for a confidential app. The URL is always printed on stderr; --no-browser only prints it, --manual also takes the redirect URL pasted on stdin.\n\n--implicit uses the legacy oauth.vk.com implicit flow instead (deprecated by VK): after allowing access, paste the address of the blank page VK shows (https://oauth.vk.com/blank.html#access_token=...) on stdin. That token has no refresh token (with the offline scope it does not expire).\n\nTokens and the client secret go to the secret store only. Signing in again to the same account updates its credential in place.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --app-id 51234567',
    '<%= config.bin %> <%= command.id %> --app-id 51234567 --redirect-uri http://localhost:8080/vk --no-browser',
    '<%= config.bin %> <%= command.id %> --app-id 51234567 --implicit',
  ]
  static override flags = {
    'app-id': Flags.string({ summary: 'The VK app\'s ID (client_id).', required: true }),
    'client-secret': Flags.string({ summary: 'The app\'s secret key, for a confidential VK ID app only (PKCE needs none).' }),
    implicit: Flags.boolean({ summary: 'Legacy implicit flow: paste the blank.html address with the token on stdin.' }),
    'redirect-uri': Flags.string({ summary: 'A trusted redirect URL of the app, on 127.0.0.1 or localhost (default http://127.0.0.1:53682/callback).' }),
    name: Flags.string({ summary: 'A name for the credential (default: your VK name).' }),
    ...signInFlags,
  }

  async run() {
    const { flags } = await this.parse(AuthVk)
    // Everything the user gave is checked before the browser opens.
    const appId = flags['app-id'].trim()
    if (!/^\d{1,20}$/.test(appId)) throw usageError(`--app-id must be the VK app's numeric ID, not "${appId}"`, 'copy it from id.vk.com/about/business → your app')
    const timeoutMs = signInTimeoutMs(flags.timeout)
    if (flags.implicit) {
      const misplaced = (['client-secret', 'redirect-uri', 'manual'] as const).find((f) => flags[f] !== undefined && flags[f] !== false)
      if (misplaced) throw usageError(`--${misplaced} does not apply to --implicit (the token comes from the address you paste)`)
      return this.implicit(flags, appId, timeoutMs)
    }
    const redirectUri = registeredRedirectUri(flags['redirect-uri'], 'a trusted redirect URL of the VK ID app')
    const app = await this.app(flags)
    const auth = await app.service('auth')
    const io = terminalSignInIo(flags, app.env)
    try {
      const view = await auth.signInVk(app.localUser, { appId, clientSecret: flags['client-secret'], name: flags.name, timeoutMs, redirectUri }, io)
      return this.present(view, signedInText)
    } finally {
      io.close()
    }
  }

  private async implicit(flags: { home?: string; name?: string; 'no-browser'?: boolean }, appId: string, timeoutMs: number | undefined) {
    const app = await this.app(flags)
    const auth = await app.service('auth')
    const io = terminalSignInIo({ 'no-browser': flags['no-browser'], manual: true }, app.env, {}, 'After allowing access, paste the address of the page VK shows (it starts with https://oauth.vk.com/blank.html#), then press Enter:')
    try {
      const view = await auth.signInVkImplicit(app.localUser, { appId, name: flags.name, timeoutMs }, { ...io, pasted: io.pasted! })
      return this.present(view, signedInText)
    } finally {
      io.close()
    }
  }
}

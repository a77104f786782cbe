import fs from 'node:fs'
import { Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { signedInText } from '../../src/cli/presenters/auth.js'
import { signInFlags, signInTimeoutMs, terminalSignInIo } from '../../src/cli/sign-in.js'
import { googleClientFromFlags, parseGoogleClientJson, type GoogleClientConfig } from '../../src/domain/credentials/google-client.js'
import { usageError } from '../../src/domain/errors.js'

export default class AuthYoutube extends BaseCommand<typeof AuthYoutube> {
  static override summary = 'Signs in to YouTube in the browser and stores the tokens (channel name as the account).'
  static override description =
    'Google\'s authorization code flow with PKCE: a loopback server on 127.0.0.1 receives the answer, offline access with consent so a refresh token is issued. The URL is always printed on stderr; --no-browser only prints it, --manual also takes the redirect URL pasted on stdin. Tokens and the client secret go to the secret store only. Signing in again to the same channel updates its credential in place.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --client-secrets ~/Downloads/client_secret_1234.apps.googleusercontent.com.json',
    '<%= config.bin %> <%= command.id %> --client-id 1234.apps.googleusercontent.com --client-secret GOCSPX-... --no-browser',
    '<%= config.bin %> <%= command.id %> --client-secrets client.json --manual',
  ]
  static override flags = {
    'client-secrets': Flags.string({ summary: 'The OAuth client JSON from the Google Cloud console ("installed" or "web").', exclusive: ['client-id', 'client-secret'] }),
    'client-id': Flags.string({ summary: 'The OAuth client id (with --client-secret), instead of --client-secrets.' }),
    'client-secret': Flags.string({ summary: 'The OAuth client secret (with --client-id).' }),
    name: Flags.string({ summary: 'A name for the credential (default: the YouTube channel title).' }),
    ...signInFlags,
  }

  async run() {
    const { flags } = await this.parse(AuthYoutube)
    // Everything the user gave is checked before the browser opens.
    const client = flags['client-secrets'] !== undefined ? readClientFile(flags['client-secrets']) : googleClientFromFlags(flags['client-id'], flags['client-secret'])
    const timeoutMs = signInTimeoutMs(flags.timeout)
    const app = await this.app(flags)
    const auth = await app.service('auth')
    const io = terminalSignInIo(flags, app.env)
    try {
      const view = await auth.signInYoutube(app.localUser, { client, name: flags.name, timeoutMs }, io)
      return this.present(view, signedInText)
    } finally {
      io.close()
    }
  }
}

function readClientFile(file: string): GoogleClientConfig {
  let text: string
  try {
    const stat = fs.statSync(file)
    if (!stat.isFile() || stat.size > 64 * 1024) throw usageError(`${file} is not a client JSON file (not a regular file, or over 64 KiB)`)
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw usageError(`cannot read ${file}: no such file`, 'check the path given with --client-secrets')
    throw e
  }
  return parseGoogleClientJson(text, file)
}

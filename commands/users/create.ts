import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { createdUserText } from '../../src/cli/presenters/users.js'
import { readSecret } from '../../src/cli/read-secret.js'

export default class UsersCreate extends BaseCommand<typeof UsersCreate> {
  static override summary = 'Creates a daemon user account (operator only).'
  static override description =
    'Without --password-stdin a random password is generated and printed once; the user changes it after signing in. ' +
    'With --password-stdin the first line of stdin is the password (a hidden prompt on a terminal).'
  static override examples = [
    '<%= config.bin %> <%= command.id %> ann@example.edu',
    '<%= config.bin %> <%= command.id %> admin@example.edu --admin --plan enterprise',
    'printf "%s\\n" "$PASSWORD" | <%= config.bin %> <%= command.id %> bob@example.edu --plan pro --password-stdin --json',
  ]
  static override args = { email: Args.string({ description: 'The email the user signs in with.', required: true, ignoreStdin: true }) }
  static override flags = {
    admin: Flags.boolean({ summary: 'Make the user an administrator (role admin).' }),
    plan: Flags.string({ summary: 'Subscription plan (free, plus, pro, enterprise).', default: 'free' }),
    name: Flags.string({ summary: 'The user\'s full name.' }),
    'password-stdin': Flags.boolean({ summary: 'Read the password from stdin instead of generating one.' }),
  }

  async run() {
    const { args, flags } = await this.parse(UsersCreate)
    const password = flags['password-stdin'] ? await readSecret({ prompt: 'Password for the new user (input hidden): ' }) : undefined
    const app = await this.app(flags)
    const accounts = await app.service('accounts')
    const created = await accounts.createUser(app.localUser, {
      email: args.email,
      password,
      full_name: flags.name,
      role: flags.admin ? 'admin' : 'user',
      plan: flags.plan,
    })
    return this.present(created, createdUserText)
  }
}

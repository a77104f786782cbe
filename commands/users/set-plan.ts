import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { planChangeText } from '../../src/cli/presenters/users.js'

export default class UsersSetPlan extends BaseCommand<typeof UsersSetPlan> {
  static override summary = 'Moves a user to another subscription plan, recorded in the quota history (operator only).'
  static override examples = ['<%= config.bin %> <%= command.id %> ann@example.edu pro', '<%= config.bin %> <%= command.id %> 7 free --note "course ended"']
  static override args = {
    user: Args.string({ description: 'The user: an id or an email.', required: true, ignoreStdin: true }),
    plan: Args.string({ description: 'The plan: free, plus, pro or enterprise.', required: true, ignoreStdin: true }),
  }
  static override flags = { note: Flags.string({ summary: 'Why (kept with the change in the quota history).' }) }

  async run() {
    const { args, flags } = await this.parse(UsersSetPlan)
    const app = await this.app(flags)
    const change = await (await app.service('accounts')).setPlan(app.localUser, args.user, args.plan, flags.note)
    return this.present(change, planChangeText)
  }
}

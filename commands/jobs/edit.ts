import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { jobFlags, jobInputFromFlags } from '../../src/cli/job-flags.js'
import { jobChanged } from '../../src/cli/presenters/jobs.js'
import { documentFrom, fileFlag } from '../../src/cli/resource-flags.js'
import { usageError } from '../../src/domain/errors.js'

export default class JobsEdit extends BaseCommand<typeof JobsEdit> {
  static override summary = 'Changes an automation job; a new schedule replaces the old one, and the next run moves with it.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 1 --at 03:30',
    '<%= config.bin %> <%= command.id %> 1 --timezone America/New_York',
    '<%= config.bin %> <%= command.id %> 1 --template 2 --template 5 --no-upload',
    '<%= config.bin %> <%= command.id %> 1 --file job.yaml',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Job id.' }) }
  static override flags = { file: fileFlag, name: Flags.string({ summary: 'New name.' }), ...jobFlags }

  async run() {
    const { args, flags } = await this.parse(JobsEdit)
    const app = await this.app(flags)
    const jobs = await app.service('jobs')
    const current = await jobs.get(app.localUser, args.id)
    const source = flags.source ? await (await app.service('sources')).resolveIds(app.localUser, flags.source) : undefined
    const patch = documentFrom(flags.file, jobInputFromFlags({ ...flags, source }, current.schedule as Record<string, unknown>))
    if (Object.keys(patch).length === 0) throw usageError('nothing to change', 'give at least one flag or --file; see `recflow jobs edit --help`')
    return this.present(await jobs.edit(app.localUser, args.id, patch), jobChanged('Updated'))
  }
}

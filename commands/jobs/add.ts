import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { jobFlags, jobInputFromFlags } from '../../src/cli/job-flags.js'
import { jobChanged } from '../../src/cli/presenters/jobs.js'
import { documentFrom, fileFlag, NAME_ARGUMENT_FIELD, SCHEDULE_FIELD, withFlagNames } from '../../src/cli/resource-flags.js'

export default class JobsAdd extends BaseCommand<typeof JobsAdd> {
  static override summary = 'Adds an automation job: on a schedule, sync sources, match, and process (and publish) what is new.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> nightly --source lectures --at 02:00',
    '<%= config.bin %> <%= command.id %> algebra --template 3 --weekdays 0,2,4 --at 18:30 --timezone Europe/Berlin',
    '<%= config.bin %> <%= command.id %> hourly --source 1 --every-hours 6 --no-upload --max-parallel 2',
    '<%= config.bin %> <%= command.id %> weekdays --source 1 --cron "15 8 * * 1-5"',
    '<%= config.bin %> <%= command.id %> --file job.yaml',
  ]
  static override args = { name: Args.string({ description: 'Job name; may come from --file.', ignoreStdin: true }) }
  static override flags = { file: fileFlag, ...jobFlags }

  async run() {
    const { args, flags } = await this.parse(JobsAdd)
    const app = await this.app(flags)
    const source = flags.source ? await (await app.service('sources')).resolveIds(app.localUser, flags.source) : undefined
    const fromFlags = jobInputFromFlags({ ...flags, source, name: args.name })
    const input = documentFrom(flags.file, fromFlags)
    // A schedule given by flags replaces the file's (a --timezone alone is merged into it).
    if ((fromFlags.schedule as { type?: unknown } | undefined)?.type !== undefined) input.schedule = fromFlags.schedule
    const job = await (await app.service('jobs')).add(app.localUser, input).catch((e: unknown) => {
      throw withFlagNames(e, { topFields: { ...NAME_ARGUMENT_FIELD, ...SCHEDULE_FIELD } })
    })
    return this.present(job, jobChanged('Added'))
  }
}

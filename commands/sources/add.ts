import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { documentFrom, fileFlag, resolveFolderFlag, sourceFlags, sourceInputFromFlags, NAME_ARGUMENT_FIELD, withFlagNames } from '../../src/cli/resource-flags.js'
import { sourceDetails } from '../../src/cli/presenters/resources.js'

export default class SourcesAdd extends BaseCommand<typeof SourcesAdd> {
  static override summary = 'Adds an input source: a local folder of recordings, or a Zoom account.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> local lectures --path ~/Recordings',
    '<%= config.bin %> <%= command.id %> local lectures --path ~/Recordings --glob "**/*.mp4" --name-pattern "(?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d)"',
    '<%= config.bin %> <%= command.id %> zoom department --credential 1',
    '<%= config.bin %> <%= command.id %> zoom lectures --credential 1 --users me,alice@example.edu --from 2024-09-01 --to 2025-06-30',
    '<%= config.bin %> <%= command.id %> --file source.yaml',
  ]
  // ignoreStdin: oclif would fill a missing optional arg from stdin, swallowing the document of `--file -`.
  static override args = {
    platform: Args.string({ description: 'Kind of source; may come from --file.', options: ['local', 'zoom'], ignoreStdin: true }),
    name: Args.string({ description: 'Source name (unique); may come from --file.', ignoreStdin: true }),
  }
  static override flags = { file: fileFlag, ...sourceFlags }

  async run() {
    const { args, flags } = await this.parse(SourcesAdd)
    const app = await this.app(flags)
    const sources = await app.service('sources')
    const input = documentFrom(
      flags.file,
      sourceInputFromFlags({ ...flags, name: args.name, platform: args.platform }, resolveFolderFlag),
    )
    const source = await sources
      .create(app.localUser, input, { allowMissing: flags['allow-missing'], onWarning: (m) => this.note(`warning: ${m}`) })
      .catch((e: unknown) => {
        throw withFlagNames(e, { topFields: NAME_ARGUMENT_FIELD })
      })
    return this.present(source, (s) => [`Added source ${s.id} "${s.name}" (${s.platform}).`, sourceDetails(s)])
  }
}

import path from 'node:path'
import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { documentFrom, fileFlag, presetFlags, presetInputFromFlags, refuseOtherPlatformFlags, withAbsoluteThumbnail, NAME_ARGUMENT_FIELD, withFlagNames } from '../../src/cli/resource-flags.js'
import { presetDetails } from '../../src/cli/presenters/resources.js'

export default class PresetsAdd extends BaseCommand<typeof PresetsAdd> {
  static override summary = 'Adds an output preset: where to publish (YouTube, VK or a local folder) and the metadata templates.'
  static override description =
    'Title, description and tags may use {display_name} {title} {date} {date_time} {start_time} {duration} {topic} {topics} {topics_list} {main_topics} {summary} {chapters}, and date formats such as {start_time:DD.MM.YYYY HH:mm}. An unknown variable is refused.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> Archive --platform local --destination ~/Lectures',
    '<%= config.bin %> <%= command.id %> Channel --platform youtube --credential 2 --title "{display_name} ({date})" --privacy unlisted',
    '<%= config.bin %> <%= command.id %> --file preset.yaml',
  ]
  // ignoreStdin: oclif would fill a missing optional arg from stdin, swallowing the document of `--file -`.
  static override args = { name: Args.string({ description: 'Preset name (unique); may come from --file.', ignoreStdin: true }) }
  static override flags = {
    file: fileFlag,
    platform: Flags.string({ summary: 'Where it publishes.', options: ['youtube', 'vk', 'local'] }),
    ...presetFlags,
  }

  async run() {
    const { args, flags } = await this.parse(PresetsAdd)
    const app = await this.app(flags)
    if (flags.platform !== undefined) refuseOtherPlatformFlags(flags, flags.platform, 'this preset')
    const presets = await app.service('presets')
    const input = withAbsoluteThumbnail(documentFrom(flags.file, presetInputFromFlags({ ...flags, name: args.name }, (p) => path.resolve(p))), flags.file)
    const preset = await presets.create(app.localUser, input).catch((e: unknown) => {
      throw withFlagNames(e, { topFields: NAME_ARGUMENT_FIELD })
    })
    return this.present(preset, (p) => [`Added preset ${p.id} "${p.name}" (${p.platform}).`, presetDetails(p)])
  }
}

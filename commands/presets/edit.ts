import path from 'node:path'
import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { documentFrom, fileFlag, presetFlags, presetInputFromFlags, refuseOtherPlatformFlags, withAbsoluteThumbnail, withFlagNames } from '../../src/cli/resource-flags.js'
import { presetDetails } from '../../src/cli/presenters/resources.js'
import { usageError } from '../../src/domain/errors.js'

export default class PresetsEdit extends BaseCommand<typeof PresetsEdit> {
  static override summary = 'Changes a preset (its platform stays); the result is validated like a new preset.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 2 --title "{display_name} — {date}"',
    '<%= config.bin %> <%= command.id %> 2 --file patch.yaml',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Preset id.' }) }
  static override flags = { file: fileFlag, name: Flags.string({ summary: 'New name.' }), ...presetFlags }

  async run() {
    const { args, flags } = await this.parse(PresetsEdit)
    const app = await this.app(flags)
    const presets = await app.service('presets')
    const current = await presets.get(app.localUser, args.id)
    refuseOtherPlatformFlags(flags, current.platform, `preset ${current.id}`)
    const patch = withAbsoluteThumbnail(documentFrom(flags.file, presetInputFromFlags({ ...flags, platform: undefined }, (p) => path.resolve(p))), flags.file)
    if (flags.privacy !== undefined && current.platform === 'vk') {
      // `--privacy` means privacy_view on VK; the builder does not know the stored platform.
      const meta = patch.preset_metadata as Record<string, unknown>
      meta.privacy_view = meta.privacy
      delete meta.privacy
    }
    if (Object.keys(patch).length === 0) throw usageError('nothing to change', 'give at least one flag or --file; see --help')
    const preset = await presets.update(app.localUser, args.id, patch).catch((e: unknown) => {
      throw withFlagNames(e)
    })
    return this.present(preset, (p) => [`Updated preset ${p.id} "${p.name}".`, presetDetails(p)])
  }
}

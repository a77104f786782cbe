import { Args } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'

export default class ConfigSet extends BaseCommand<typeof ConfigSet> {
  static override summary = 'Sets one value in your config (validated before it is saved).'
  static override description = 'Lists take commas or JSON (srt,vtt or ["srt","vtt"]); `null` makes the key inherit the default.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> processing.padding_before 3',
    '<%= config.bin %> <%= command.id %> processing.trim_mode pauses',
    '<%= config.bin %> <%= command.id %> subtitles.formats srt,vtt',
  ]
  static override args = {
    path: Args.string({ required: true, description: 'Dotted path, e.g. processing.silence_threshold.' }),
    value: Args.string({ required: true, description: 'The new value.' }),
  }

  async run() {
    const { args, flags } = await this.parse(ConfigSet)
    const app = await this.app(flags)
    const config = await app.service('config')
    const result = await config.set(app.localUser, args.path, args.value)
    return this.present(result, (r) => `${r.path} = ${JSON.stringify(r.value)}`)
  }
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { publishRequestLines } from '../../src/cli/presenters/publish-request.js'
import { details } from '../../src/cli/presenters/table.js'

export default class PresetsRender extends BaseCommand<typeof PresetsRender> {
  static override summary = 'Previews what a preset would publish: title, description and tags with the platform limits applied, and for YouTube and VK the exact requests.'
  static override description =
    'With --recording the preview is built exactly as publishing builds it (template overrides, active topics, poster frame, subtitles); --json prints the request bodies as sent.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 2',
    '<%= config.bin %> <%= command.id %> 2 --recording 42',
    '<%= config.bin %> <%= command.id %> 2 --title-sample "Algebra 3" --start 2026-03-02T09:00:00Z',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Preset id.' }) }
  static override flags = {
    recording: Flags.integer({ summary: 'Render for this recording (its template overrides apply).', exclusive: ['title-sample', 'start'] }),
    'title-sample': Flags.string({ summary: 'Sample recording title (without --recording).' }),
    start: Flags.string({ summary: 'Sample start time, ISO 8601 (without --recording).' }),
  }

  async run() {
    const { args, flags } = await this.parse(PresetsRender)
    const app = await this.app(flags)
    const presets = await app.service('presets')
    const sample =
      flags['title-sample'] !== undefined || flags.start !== undefined
        ? { display_name: flags['title-sample'], start_time: flags.start }
        : undefined
    const result = await presets.render(app.localUser, {
      presetId: args.id,
      recordingId: flags.recording,
      sample: sample && Object.fromEntries(Object.entries(sample).filter(([, v]) => v !== undefined)),
    })
    return this.present(result, (r) => [
      r.sample ? '(rendered for a sample recording; use --recording ID for a real one)' : `(rendered for recording ${r.recording?.id})`,
      details([
        ['title', r.title],
        ['tags', r.tags],
      ]),
      'description:',
      r.description === '' ? '  (empty)' : r.description.replace(/^/gm, '  '),
      ...(r.request ? ['requests:', ...publishRequestLines(r.request).map((l) => `  ${l}`)] : []),
      ...r.warnings.map((w) => `warning: ${w}`),
    ])
  }
}

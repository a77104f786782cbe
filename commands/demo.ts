import { Flags } from '@oclif/core'
import { BaseCommand } from '../src/cli/base-command.js'
import { runLines } from '../src/cli/presenters/run.js'
import { runFailure } from '../src/cli/run-exit.js'
import { PIPELINE_STAGES } from '../src/ui/progress-state.js'

export default class Demo extends BaseCommand<typeof Demo> {
  static override summary = 'Shows recflow at work: makes a sample lecture, sets up a source, a template and a folder preset, and runs the whole pipeline.'
  static override description =
    'The lecture (spoken by espeak-ng when it is installed, tones otherwise) goes into <data>/demo/inbox and the published copy into <data>/demo/published. Run it again to see that nothing is done twice; --fresh makes a new lecture.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --dir ./recflow-demo', '<%= config.bin %> <%= command.id %> --json']
  static override flags = {
    dir: Flags.string({ summary: 'Where to put the demo inbox and published folder (default <data>/demo).' }),
    fresh: Flags.boolean({ summary: 'Make a new sample lecture even if one exists.' }),
  }

  async run() {
    const { flags } = await this.parse(Demo)
    const app = await this.app(flags)
    const demo = await app.service('demo')
    const result = await this.withProgress(app, (control) => demo.run(app.localUser, { dir: flags.dir, fresh: flags.fresh }, control), {
      plannedStages: PIPELINE_STAGES,
    })
    this.endedBadly(runFailure(result.run))
    return this.present(result, (r) => [
      ...runLines(r.run),
      '',
      `Sample lecture: ${r.lecture}${r.spoken ? '' : ' (tones: install espeak-ng for speech)'}`,
      `Published into: ${r.published}`,
      ...r.outputs.map((o) => `  ${o}`),
      '',
      `Set up: source "${r.source.name}" (${r.source.id}), template "${r.template.name}" (${r.template.id}), preset "${r.preset.name}" (${r.preset.id}).`,
      'Next: add your own folder with `recflow sources add local NAME --path DIR`, a template, and run `recflow run`.',
    ])
  }
}

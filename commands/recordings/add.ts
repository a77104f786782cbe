import path from 'node:path'
import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { RecflowError } from '../../src/domain/errors.js'
import type { ImportResult } from '../../src/services/import-recording.js'

export default class RecordingsAdd extends BaseCommand<typeof RecordingsAdd> {
  static override summary = 'Adds one media file as a recording, probed and matched to your templates.'
  static override description =
    'The file stays where it is. Adding the same path again returns the recording it already made. A file that is not a usable recording (not media, damaged, no sound) is bad input (exit 2), but it is still added, marked failed with the reason, so a sync does not read it again.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> ~/Videos/lecture-03.mp4',
    '<%= config.bin %> <%= command.id %> talk.m4a --name "Linear Algebra 03" --json',
  ]
  static override args = { file: Args.string({ required: true, description: 'The media file (mp4, m4a, mkv, webm, mov, mp3, wav, ...).' }) }
  static override flags = {
    name: Flags.string({ summary: 'Display name (default: from the file name, underscores as spaces).' }),
  }

  async run(): Promise<ImportResult> {
    const { args, flags } = await this.parse(RecordingsAdd)
    const app = await this.app(flags)
    const imports = await app.service('imports')
    const result = await imports.importFile(
      app.localUser,
      { file: path.resolve(args.file), name: flags.name },
      { onEvent: (e) => e.type === 'log' && this.note(`warning: ${e.message}`) },
    )
    if (result.failure !== undefined) {
      // Bad input (exit 2), though the recording is kept, failed with the reason, so a sync does not read it again.
      const rec = result.recording
      throw new RecflowError('validation', result.failure, {
        hint: `it is kept as recording ${rec.id} (${rec.status}, failed); replace the file and run \`recflow recordings add\` on it again, or see \`recflow recordings show ${rec.id}\``,
        details: result,
      })
    }
    return this.present(result, describeImport)
  }
}

function describeImport(r: ImportResult): string[] {
  const rec = r.recording
  const title = `recording ${rec.id} "${rec.display_name}"`
  if (!r.created) {
    const what = r.outcome === 'changed' ? 'the file changed and was re-read' : r.outcome === 'unchanged' ? 'unchanged' : 'the file changed after processing started'
    return [`This file was already added as ${title} (${rec.status}; ${what}${r.restored ? '; restored' : ''}).`]
  }
  const matched = r.match ? `template ${r.match.templateId} by ${r.match.reason}` : 'no template matched'
  return [`Added ${title}: ${rec.status}, ${matched}, ${rec.duration?.toFixed(1) ?? '?'} s, starts ${rec.start_time}.`]
}

import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../src/cli/base-command.js'
import { transcriptOutput } from '../../src/cli/presenters/transcript.js'

const FORMATS = ['text', 'json', 'srt', 'vtt', 'chapters'] as const

export default class RecordingsTranscript extends BaseCommand<typeof RecordingsTranscript> {
  static override summary = "Prints a recording's transcript, subtitles or chapters."
  static override description =
    'Reads what the stages wrote: text and json from TRANSCRIBE (times in the processed video), srt and vtt from GENERATE_SUBTITLES, chapters (WebVTT) from EXTRACT_TOPICS. With --json the envelope holds the file path and its content.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 42',
    '<%= config.bin %> <%= command.id %> 42 --format srt > lecture.srt',
    '<%= config.bin %> <%= command.id %> 42 --format json | jq ".words | length"',
  ]
  static override args = { id: Args.integer({ required: true, description: 'Recording id.' }) }
  static override flags = {
    format: Flags.string({ summary: 'What to print.', options: [...FORMATS], default: 'text', env: 'RECFLOW_TRANSCRIPT_FORMAT' }),
  }

  async run() {
    const { args, flags } = await this.parse(RecordingsTranscript)
    const app = await this.app(flags)
    const result = await (await app.service('recordings')).transcript(app.localUser, args.id, flags.format)
    if (result.content === '' || (typeof result.content === 'object' && result.content.empty)) {
      this.note(`recording ${result.recording_id}: no speech was found, the transcript is empty`)
    }
    return this.present(result, transcriptOutput)
  }
}

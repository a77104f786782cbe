import { FIREWORKS_TEST_KEY, startFireworksBatchFake, startFireworksFake, type FireworksBatchFake, type FireworksBatchFakeOptions, type FireworksFake, type FireworksFakeOptions } from './fireworks.js'
import { OPENAI_TEST_KEY, startOpenAiAudioFake, type OpenAiAudioFake, type OpenAiAudioFakeOptions } from './openai-audio.js'

/**
 * The three transcription fakes at once, with the env that points recflow at them:
 * `openTestApp(home, fakes.env)`, then `addApiKey(app, {kind: 'fireworks', apiKey: fakes.keys.fireworks})`.
 */
export interface TranscriptionFakes {
  fireworks: FireworksFake
  fireworksBatch: FireworksBatchFake
  openai: OpenAiAudioFake
  /** RECFLOW_FIREWORKS_AUDIO_URL, RECFLOW_FIREWORKS_BATCH_URL, RECFLOW_TRANSCRIBE_URL. */
  env: Record<string, string>
  keys: { fireworks: string; openai: string }
  close(): Promise<void>
}

export async function startTranscriptionFakes(
  opts: { fireworks?: FireworksFakeOptions; fireworksBatch?: FireworksBatchFakeOptions; openai?: OpenAiAudioFakeOptions } = {},
): Promise<TranscriptionFakes> {
  const [fireworks, fireworksBatch, openai] = await Promise.all([
    startFireworksFake(opts.fireworks),
    startFireworksBatchFake(opts.fireworksBatch),
    startOpenAiAudioFake(opts.openai),
  ])
  return {
    fireworks,
    fireworksBatch,
    openai,
    env: { RECFLOW_FIREWORKS_AUDIO_URL: fireworks.url, RECFLOW_FIREWORKS_BATCH_URL: fireworksBatch.url, RECFLOW_TRANSCRIBE_URL: openai.baseUrl },
    keys: { fireworks: FIREWORKS_TEST_KEY, openai: OPENAI_TEST_KEY },
    close: async () => {
      await Promise.all([fireworks.close(), fireworksBatch.close(), openai.close()])
    },
  }
}

import { ProviderError, type ProviderEnv, type Transcriber, type TranscriberConfig } from '../types.js'

/** Builds the transcriber `transcription.provider` names. (Placeholder until the clients land.) */
export async function createTranscriber(config: TranscriberConfig, _env: ProviderEnv): Promise<Transcriber> {
  throw new ProviderError(config.provider, 'permanent', `the ${config.provider} transcription client is not built yet`)
}

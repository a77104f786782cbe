import { ProviderError, type ApiKeyAccess, type ApiKeyCheck, type ProviderEnv, type Transcriber, type TranscriberConfig } from '../types.js'

/** Builds the transcriber `transcription.provider` names. (Placeholder until the clients land.) */
export async function createTranscriber(config: TranscriberConfig, _env: ProviderEnv): Promise<Transcriber> {
  throw new ProviderError(config.provider, 'permanent', `the ${config.provider} transcription client is not built yet`)
}

/** `credentials test` for fireworks and openai keys: one cheap authenticated call. (Placeholder.) */
export async function checkTranscriptionKey(kind: 'fireworks' | 'openai', _access: ApiKeyAccess, _env: ProviderEnv, _control: { signal?: AbortSignal } = {}): Promise<ApiKeyCheck> {
  return { ok: false, kind: 'other', detail: `checking ${kind} keys is not built yet` }
}

import { ProviderError, type ApiKeyAccess, type ApiKeyCheck, type ProviderEnv, type TextModel, type TextModelConfig } from '../types.js'

/** Builds the chat client `topics.provider` names. (Placeholder until the client lands.) */
export async function createTextModel(config: TextModelConfig, _env: ProviderEnv): Promise<TextModel> {
  throw new ProviderError(config.provider, 'permanent', `the ${config.provider} chat client is not built yet`)
}

/** `credentials test` for deepseek keys (GET /user/balance or /models). (Placeholder.) */
export async function checkChatKey(_access: ApiKeyAccess, _env: ProviderEnv, _control: { signal?: AbortSignal } = {}): Promise<ApiKeyCheck> {
  return { ok: false, kind: 'other', detail: 'checking deepseek keys is not built yet' }
}

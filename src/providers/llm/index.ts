import { ProviderError, type ProviderEnv, type TextModel, type TextModelConfig } from '../types.js'

/** Builds the chat client `topics.provider` names. (Placeholder until the client lands.) */
export async function createTextModel(config: TextModelConfig, _env: ProviderEnv): Promise<TextModel> {
  throw new ProviderError(config.provider, 'permanent', `the ${config.provider} chat client is not built yet`)
}

import type { ApiKeyAccess, ApiKeyCheck, ProviderEnv, TextModel, TextModelConfig } from '../types.js'
import { chatBaseUrl, chatClient, failureOf, send } from './chat-client.js'
import { DEFAULT_CHAT_MODEL } from './chat-models.js'
import { ProviderError } from '../types.js'

/** Builds the chat client `topics.provider` names (`topics.model`, else the provider's current default model). */
export async function createTextModel(config: TextModelConfig, env: ProviderEnv): Promise<TextModel> {
  return chatClient({ provider: config.provider, model: config.model ?? DEFAULT_CHAT_MODEL[config.provider], access: config.access, env, credentialId: config.credentialId })
}

/**
 * `credentials test` for deepseek keys: GET /user/balance (authenticated, free), or GET /models on an
 * OpenAI-compatible service without the balance endpoint.
 */
export async function checkChatKey(access: ApiKeyAccess, env: ProviderEnv, control: { signal?: AbortSignal } = {}): Promise<ApiKeyCheck> {
  const base = chatBaseUrl('deepseek', access, env.urls)
  const get = (path: string) =>
    send('deepseek', access, `${base}${path}`, { headers: { authorization: `Bearer ${access.apiKey}`, accept: 'application/json' } }, { signal: control.signal, maxAttempts: 2, env })
  try {
    let answer = await get('/user/balance')
    if (answer.status === 404) answer = await get('/models')
    if (answer.status === 200) return { ok: true, detail: balanceDetail(answer.text) }
    const failure = failureOf('deepseek', access, answer)
    return { ok: false, kind: failure.kind === 'auth' ? 'auth' : 'other', detail: failure.message }
  } catch (e) {
    if (e instanceof ProviderError) return { ok: false, kind: 'unreachable', detail: e.message }
    throw e
  }
}

function balanceDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { is_available?: boolean; balance_infos?: Array<{ currency?: string; total_balance?: string }> }
    if (!Array.isArray(body.balance_infos)) return 'the key is accepted'
    const balances = body.balance_infos.map((b) => `${b.total_balance ?? '?'} ${b.currency ?? ''}`.trim()).join(', ')
    return `the key is accepted; balance ${balances || 'unknown'}${body.is_available === false ? ' (not enough to make calls)' : ''}`
  } catch {
    return 'the key is accepted'
  }
}


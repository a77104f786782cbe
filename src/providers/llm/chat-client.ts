import { z } from 'zod'
import type { ServiceUrls } from '../../platform/config.js'
import { HttpUnreachableError, requestWithRetry, retryAfterMs, type HttpAnswer } from '../../platform/http.js'
import { ProviderError, type ApiKeyAccess, type ChatCompletion, type ChatMessage, type ProviderEnv, type TextModel } from '../types.js'
import { contextTokensOf, hasThinkingSwitch, usesReasoningParams } from './chat-models.js'

/*
 * Any OpenAI-compatible POST /chat/completions in JSON mode (DeepSeek, OpenAI, a compatible gateway), per
 * API-CONTRACTS.md §E: `response_format: {type: "json_object"}` (the prompt must say "json"), a body that may start
 * with keep-alive blank lines, OpenAI-shaped error bodies. Retries live in platform/http (429, 5xx, dropped
 * connections, honouring Retry-After); what is left maps to a ProviderError.
 */

const DEEPSEEK_URL = 'https://api.deepseek.com'
const OPENAI_URL = 'https://api.openai.com/v1'

/** The credential's own base URL, else RECFLOW_LLM_URL; an `openai` provider with the DeepSeek default goes to OpenAI. */
export function chatBaseUrl(provider: TextModel['provider'], access: ApiKeyAccess, urls: ServiceUrls): string {
  const base = access.baseUrl ?? (provider === 'openai' && urls.llm === DEEPSEEK_URL ? OPENAI_URL : urls.llm)
  return base.replace(/\/+$/, '')
}

const completionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullable().optional(),
})

export interface ChatClientOptions {
  provider: TextModel['provider']
  model: string
  access: ApiKeyAccess
  env: ProviderEnv
  credentialId?: number
  /** Tries per request (platform/http); tests lower the waits, not this. */
  maxAttempts?: number
}

export function chatClient(opts: ChatClientOptions): TextModel {
  const { provider, model, access, env } = opts
  const endpoint = `${chatBaseUrl(provider, access, env.urls)}/chat/completions`
  return {
    provider,
    model,
    contextTokens: contextTokensOf(model),
    async completeJson(messages: ChatMessage[], control = {}): Promise<ChatCompletion> {
      const maxTokens = control.maxTokens ?? 8192
      const body = {
        model,
        messages,
        response_format: { type: 'json_object' },
        ...(usesReasoningParams(provider, model) ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens, temperature: 0.3 }),
        stream: false,
        ...(hasThinkingSwitch(provider, model) ? { thinking: { type: 'disabled' } } : {}),
      }
      const answer = await send(provider, access, endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${access.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      }, { signal: control.signal, maxAttempts: opts.maxAttempts, env })
      if (answer.status !== 200) throw failureOf(provider, access, answer, opts.credentialId)
      let parsed: z.infer<typeof completionSchema>
      try {
        parsed = completionSchema.parse(JSON.parse(answer.text))
      } catch (e) {
        throw new ProviderError(provider, 'transient', `${provider} answered /chat/completions with a body that is not a chat completion`, { cause: e })
      }
      const choice = parsed.choices[0]!
      return {
        content: choice.message.content ?? '',
        model: parsed.model ?? model,
        finishReason: choice.finish_reason ?? null,
        usage: parsed.usage ? { promptTokens: parsed.usage.prompt_tokens, completionTokens: parsed.usage.completion_tokens } : null,
      }
    },
  }
}

/** One request with the shared retries; a connection that never answered becomes a transient ProviderError. */
export async function send(
  provider: string,
  access: ApiKeyAccess,
  url: string,
  init: RequestInit,
  opts: { signal?: AbortSignal; maxAttempts?: number; env: ProviderEnv },
): Promise<HttpAnswer> {
  try {
    return await requestWithRetry(url, () => init, {
      signal: opts.signal,
      maxAttempts: opts.maxAttempts,
      retryable: (a) => (a.status === 429 && !isOutOfBalance(a)) || a.status >= 500,
      onRetry: (r) => opts.env.logger.debug(`${provider}: retrying in ${r.delayMs} ms`, { attempt: r.attempt, reason: r.reason }),
    })
  } catch (e) {
    if (e instanceof HttpUnreachableError) throw new ProviderError(provider, 'transient', scrub(e.message, access), { cause: e })
    throw e
  }
}

interface ErrorBody {
  message?: string
  type?: string
  code?: string
}

function errorOf(answer: HttpAnswer): ErrorBody {
  try {
    const body = JSON.parse(answer.text) as { error?: unknown }
    const e = body.error
    if (typeof e === 'string') return { message: e }
    if (e !== null && typeof e === 'object') {
      const r = e as Record<string, unknown>
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
      return { message: str(r.message), type: str(r.type), code: str(r.code) }
    }
  } catch {
    // not JSON: the status says enough
  }
  return {}
}

/** DeepSeek: 402 Insufficient Balance; OpenAI: 429 with code insufficient_quota. Neither gets better by waiting. */
function isOutOfBalance(answer: HttpAnswer): boolean {
  if (answer.status === 402) return true
  const e = errorOf(answer)
  return e.code === 'insufficient_quota' || /insufficient (balance|quota)/i.test(e.message ?? '')
}

/** The key never appears in a message, even when a service echoes it back. */
export function scrub(text: string, access: ApiKeyAccess): string {
  return access.apiKey.length >= 4 ? text.split(access.apiKey).join('****') : text
}

/** The final non-200 answer as a ProviderError of the right kind. */
export function failureOf(provider: string, access: ApiKeyAccess, answer: HttpAnswer, credentialId?: number): ProviderError {
  const e = errorOf(answer)
  const said = scrub(e.message ?? answer.text.trim().slice(0, 200), access)
  const detail = `${provider} answered HTTP ${answer.status}${said ? `: ${said}` : ''}`
  if (answer.status === 401 || answer.status === 403) {
    const hint = credentialId === undefined ? 'run `recflow credentials list`, then `recflow credentials test ID`' : `run \`recflow credentials test ${credentialId}\``
    return new ProviderError(provider, 'auth', `${provider} rejected the API key (${detail})`, { hint })
  }
  if (isOutOfBalance(answer)) {
    return new ProviderError(provider, 'quota', `insufficient balance on the ${provider} account (${detail})`, {
      hint: 'add credit to the account, then `recflow recordings run ID --force EXTRACT_TOPICS`',
    })
  }
  if (answer.status === 429) {
    return new ProviderError(provider, 'rate_limited', `${provider} kept rate-limiting the request (${detail})`, {
      retryAfterMs: retryAfterMs(answer.headers.get('retry-after'), Date.now()),
    })
  }
  if (answer.status >= 500) return new ProviderError(provider, 'transient', `${provider} failed (${detail})`)
  return new ProviderError(provider, 'permanent', `${provider} refused the request (${detail})`)
}

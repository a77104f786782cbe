import { authorizationKey, jsonResponse, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from './fake-http.js'

/*
 * A fake OpenAI-compatible chat service with DeepSeek's contract (API-CONTRACTS.md §E): POST /chat/completions (and
 * /v1/chat/completions), GET /user/balance, GET /models. Strict: a Bearer key it knows, a model, well-formed
 * messages, `response_format: {type: "json_object"}` only when a message says "json" (DeepSeek's rule), bounded
 * max_tokens and temperature, no streaming (recflow never streams); errors in DeepSeek's bodies.
 *
 * What the "model" says: answers queued with `answerNext` (scripted: tests decide), else it reads the transcript
 * lines of the prompt (`[seconds] text`) and derives plausible topics from them: as many as the prompt asks for,
 * each starting where its part of the transcript starts, titled with that part's first words.
 * Faults: `inject` from fake-http with the responses below (429 + Retry-After, 5xx, 402, dropped connections), and
 * `answerNext('not json')` / `answerNext('')` for invalid or empty JSON content.
 */

export const DEEPSEEK_MODELS = ['deepseek-v4-flash', 'deepseek-v4-pro', 'deepseek-flash'] as const
/** Retired on 2026-07-24: requests naming them fail (`retired: true`, the default). */
export const RETIRED_MODELS = ['deepseek-chat', 'deepseek-reasoner'] as const

export interface ChatFakeOptions {
  /** API keys it accepts; default ['sk-test']. */
  keys?: string[]
  /** Model ids it accepts besides DEEPSEEK_MODELS (e.g. an unknown small-context id a test uses); '*' = any. */
  extraModels?: string[]
  /** Refuse the retired ids (default true). */
  retired?: boolean
  /** Send blank keep-alive lines before each completion body, as DeepSeek does under load (default false). */
  keepAliveLines?: boolean
  /** Balance reported by GET /user/balance (default '10.00'); '0.00' makes is_available false. */
  balance?: string
}

export interface ChatFake extends FakeServer {
  /** Contents for the next completions, in order: a string as is (may be invalid JSON or empty), else JSON. */
  answerNext(...contents: unknown[]): void
  /** The completion requests received (parsed bodies), in order. */
  completions(): ChatRequestBody[]
}

export interface ChatRequestBody {
  model: string
  messages: Array<{ role: string; content: string }>
  response_format?: { type: string }
  max_tokens?: number
  temperature?: number
  thinking?: { type: string }
}

/** DeepSeek's error body. */
export function deepseekError(status: number, message: string, type = 'invalid_request_error', headers: Record<string, string> = {}): FakeResponse {
  return jsonResponse(status, { error: { message, type, param: null, code: 'invalid_request_error' } }, headers)
}

export const chatFaults = {
  rateLimited: (retryAfterS = 1) => deepseekError(429, 'Rate Limit Reached', 'rate_limit_error', { 'retry-after': String(retryAfterS) }),
  overloaded: () => deepseekError(503, 'Server Overloaded', 'server_error'),
  serverError: () => deepseekError(500, 'Server Error', 'server_error'),
  insufficientBalance: () => deepseekError(402, 'Insufficient Balance', 'unknown_error'),
  drop: () => ({ drop: true }) as const,
}

const ROLES = new Set(['system', 'user', 'assistant'])

export async function startChatFake(opts: ChatFakeOptions = {}): Promise<ChatFake> {
  const keys = new Set(opts.keys ?? ['sk-test'])
  const models = new Set<string>([...DEEPSEEK_MODELS, ...(opts.extraModels ?? [])])
  const scripted: unknown[] = []
  const bodies: ChatRequestBody[] = []

  const authFailure = (req: FakeRequest): FakeResponse | undefined => {
    const key = authorizationKey(req)
    if (key !== undefined && keys.has(key)) return undefined
    const masked = key === undefined ? '' : ` ****${key.slice(-4)}`
    return deepseekError(401, `Authentication Fails, Your api key:${masked} is invalid`, 'authentication_error')
  }

  const complete = (req: FakeRequest): FakeResponse => {
    const denied = authFailure(req)
    if (denied) return denied
    let body: Record<string, unknown>
    try {
      const parsed = req.json()
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      body = parsed as Record<string, unknown>
    } catch {
      return deepseekError(400, 'Invalid Format: the request body is not a JSON object')
    }
    const invalid = validate(body, models, opts.retired ?? true)
    if (invalid) return invalid
    const request = body as unknown as ChatRequestBody
    bodies.push(request)
    const content = scripted.length > 0 ? scripted.shift() : deriveAnswer(request.messages)
    const text = typeof content === 'string' ? content : JSON.stringify(content)
    const promptChars = request.messages.reduce((n, m) => n + m.content.length, 0)
    const completion = {
      id: `chatcmpl-${bodies.length}`,
      object: 'chat.completion',
      created: 1_700_000_000 + bodies.length,
      model: request.model,
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, message: { role: 'assistant', content: text, reasoning_content: null }, logprobs: null, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: Math.ceil(promptChars / 4),
        completion_tokens: Math.ceil(text.length / 4),
        total_tokens: Math.ceil(promptChars / 4) + Math.ceil(text.length / 4),
        prompt_cache_hit_tokens: 0,
        prompt_cache_miss_tokens: Math.ceil(promptChars / 4),
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    }
    if (!opts.keepAliveLines) return jsonResponse(200, completion)
    return { status: 200, headers: { 'content-type': 'application/json' }, body: `\n\n\n${JSON.stringify(completion)}` }
  }

  const balance = opts.balance ?? '10.00'
  const server = await startFakeServer([
    { method: 'POST', path: '/chat/completions', handler: complete },
    { method: 'POST', path: '/v1/chat/completions', handler: complete },
    {
      method: 'GET',
      path: '/user/balance',
      handler: (req) =>
        authFailure(req) ??
        jsonResponse(200, {
          is_available: Number(balance) > 0,
          balance_infos: [{ currency: 'USD', total_balance: balance, granted_balance: '0.00', topped_up_balance: balance }],
        }),
    },
    {
      method: 'GET',
      path: /^(\/v1)?\/models$/,
      handler: (req) => authFailure(req) ?? jsonResponse(200, { object: 'list', data: [...models].map((id) => ({ id, object: 'model', owned_by: 'deepseek' })) }),
    },
  ], { notFound: (req) => deepseekError(404, `Not Found: ${req.method} ${req.path}`) })

  return Object.assign(server, {
    answerNext: (...contents: unknown[]) => void scripted.push(...contents),
    completions: () => bodies,
  })
}

function validate(body: Record<string, unknown>, models: Set<string>, retired: boolean): FakeResponse | undefined {
  const model = body.model
  if (typeof model !== 'string' || model === '') return deepseekError(422, 'Invalid Parameters: model is required')
  if (retired && (RETIRED_MODELS as readonly string[]).includes(model)) {
    return deepseekError(400, `Model Not Exist: ${model} was retired on 2026-07-24; use deepseek-v4-flash or deepseek-v4-pro`)
  }
  if (!models.has(model) && !models.has('*') && !(RETIRED_MODELS as readonly string[]).includes(model)) return deepseekError(400, 'Model Not Exist')
  const messages = body.messages
  if (!Array.isArray(messages) || messages.length === 0) return deepseekError(422, 'Invalid Parameters: messages must be a non-empty array')
  for (const m of messages as unknown[]) {
    const r = m as Record<string, unknown> | null
    if (r === null || typeof r !== 'object' || !ROLES.has(String(r.role)) || typeof r.content !== 'string') {
      return deepseekError(422, 'Invalid Parameters: each message needs a role (system, user, assistant) and string content')
    }
  }
  if (body.stream === true) return deepseekError(400, 'fake chat server: streaming is not implemented (recflow never streams)')
  const format = body.response_format as { type?: unknown } | undefined
  if (format !== undefined) {
    if (format === null || typeof format !== 'object' || (format.type !== 'json_object' && format.type !== 'text')) {
      return deepseekError(422, 'Invalid Parameters: response_format.type must be json_object or text')
    }
    const saysJson = (messages as Array<{ content: string }>).some((m) => /json/i.test(m.content))
    if (format.type === 'json_object' && !saysJson) {
      return deepseekError(400, "Prompt must contain the word 'json' in some form to use 'response_format' of type 'json_object'.")
    }
  }
  const maxTokens = body.max_tokens
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || (maxTokens as number) < 1 || (maxTokens as number) > 393_216)) {
    return deepseekError(422, 'Invalid Parameters: max_tokens must be an integer in [1, 393216]')
  }
  const temperature = body.temperature
  if (temperature !== undefined && (typeof temperature !== 'number' || temperature < 0 || temperature > 2)) {
    return deepseekError(422, 'Invalid Parameters: temperature must be in [0, 2]')
  }
  return undefined
}

/**
 * The default "model": the prompt's `[seconds] text` lines split into as many consecutive parts as it asks for
 * ("N topics", or the upper end of "A to B topics"; else 5), one topic per part.
 */
export function deriveAnswer(messages: Array<{ role: string; content: string }>): unknown {
  const prompt = messages.map((m) => m.content).join('\n')
  const lines = [...prompt.matchAll(/^\[(\d+(?:\.\d+)?)\]\s*(.+)$/gm)].map((m) => ({ start: Number(m[1]), text: m[2]!.trim() }))
  const range = /(\d+)\s*(?:to|-|–)\s*(\d+)\s+topics/i.exec(prompt)
  const single = /(\d+)\s+topics/i.exec(prompt)
  const wanted = range ? Number(range[2]) : single ? Number(single[1]) : 5
  const count = Math.max(1, Math.min(wanted, lines.length))
  const topics: Array<{ title: string; start: number }> = []
  for (let i = 0; i < count; i++) {
    const line = lines[Math.floor((i * lines.length) / count)]!
    const words = line.text.replace(/[^\p{L}\p{N}\s'-]/gu, ' ').split(/\s+/).filter(Boolean).slice(0, 4)
    const title = words.join(' ')
    topics.push({ title: title.charAt(0).toUpperCase() + title.slice(1), start: line.start })
  }
  const main = topics[0]?.title ?? 'The lecture'
  return {
    main_topic: main,
    summary: lines.length === 0 ? 'An empty recording.' : `A talk that covers ${topics.map((t) => t.title.toLowerCase()).join(', ')}.`,
    topics,
    confidence: 0.9, // an extra field: the client must ignore it
  }
}

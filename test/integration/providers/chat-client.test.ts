import { afterEach, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { systemClock } from '../../../src/platform/clock.js'
import { resolveServiceUrls } from '../../../src/platform/config.js'
import { createLogger, silentLogger } from '../../../src/platform/logger.js'
import { checkChatKey, createTextModel } from '../../../src/providers/llm/index.js'
import { ProviderError, type ProviderEnv } from '../../../src/providers/types.js'
import { chatFaults, startChatFake, type ChatFake } from '../../fakes/chat.js'
import { jsonResponse } from '../../fakes/fake-http.js'

const KEY = 'sk-test-0123456789abcdef'
const envFor = (url: string): ProviderEnv => ({ urls: resolveServiceUrls({ RECFLOW_LLM_URL: url }), logger: silentLogger, clock: systemClock })
const ask = [
  { role: 'system' as const, content: 'Answer in JSON: {"main_topic": str}' },
  { role: 'user' as const, content: '[0] hello there\n[12.5] consensus and logs' },
]

describe('OpenAI-compatible chat client (DeepSeek contract)', () => {
  let fake: ChatFake | undefined
  afterEach(async () => fake?.close())

  const model = async (opts: { model?: string | null; provider?: 'deepseek' | 'openai'; baseUrl?: string | null } = {}) =>
    createTextModel({ provider: opts.provider ?? 'deepseek', model: opts.model ?? null, access: { apiKey: KEY, baseUrl: opts.baseUrl ?? null } }, envFor(fake!.url))

  it('asks for a JSON object with the current default model, thinking off, and reads the answer through keep-alive lines', async () => {
    fake = await startChatFake({ keys: [KEY], keepAliveLines: true })
    const m = await model()
    expect(m.model).toBe('deepseek-v4-flash')
    expect(m.contextTokens).toBe(1_000_000)
    const answer = await m.completeJson(ask)
    expect(JSON.parse(answer.content)).toMatchObject({ main_topic: 'Hello there', topics: [{ title: 'Hello there', start: 0 }, { start: 12.5 }] })
    expect(answer.finishReason).toBe('stop')
    expect(answer.usage?.promptTokens).toBeGreaterThan(0)
    const sent = fake.completions()[0]!
    expect(sent).toMatchObject({ model: 'deepseek-v4-flash', response_format: { type: 'json_object' }, thinking: { type: 'disabled' } })
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it('uses the configured model and, for openai, the credential base URL without the DeepSeek-only thinking switch', async () => {
    fake = await startChatFake({ keys: [KEY], extraModels: ['gpt-4o-mini'] })
    const m = await createTextModel(
      { provider: 'openai', model: null, access: { apiKey: KEY, baseUrl: `${fake.url}/v1/` } },
      { urls: resolveServiceUrls({}), logger: silentLogger, clock: systemClock },
    )
    await m.completeJson(ask)
    expect(fake.requests[0]!.path).toBe('/v1/chat/completions')
    expect(fake.completions()[0]!.model).toBe('gpt-4o-mini')
    expect(fake.completions()[0]!.thinking).toBeUndefined()
  })

  it('sends max_completion_tokens and no temperature to OpenAI reasoning models, which refuse the classic fields', async () => {
    fake = await startChatFake({ keys: [KEY], extraModels: ['o4-mini', 'gpt-4o-mini'] })
    const reasoning = await model({ provider: 'openai', model: 'o4-mini', baseUrl: fake.url })
    await reasoning.completeJson(ask, { maxTokens: 1000 })
    const sent = fake.completions()[0] as unknown as Record<string, unknown>
    expect([sent.max_completion_tokens, sent.max_tokens, sent.temperature]).toEqual([1000, undefined, undefined])
    await (await model({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: fake.url })).completeJson(ask, { maxTokens: 1000 })
    expect(fake.completions()[1]).toMatchObject({ max_tokens: 1000, temperature: 0.3 })
  })

  it('retries a 429 after its Retry-After, then a dropped connection and a 503, and succeeds', async () => {
    fake = await startChatFake({ keys: [KEY] })
    fake.inject('POST /chat/completions', chatFaults.rateLimited(1), chatFaults.drop(), jsonResponse(503, { error: { message: 'Server Overloaded' } }, { 'retry-after': '0' }))
    fake.answerNext({ main_topic: 'x', summary: 'y', topics: [] })
    const started = Date.now()
    const answer = await (await model()).completeJson(ask)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
    expect(JSON.parse(answer.content)).toEqual({ main_topic: 'x', summary: 'y', topics: [] })
    expect(fake.requests).toHaveLength(4)
  })

  it('logs its retries at debug level without the key', async () => {
    fake = await startChatFake({ keys: [KEY] })
    fake.inject('POST /chat/completions', chatFaults.rateLimited(0), chatFaults.drop())
    const lines: string[] = []
    const m = await createTextModel({ provider: 'deepseek', model: null, access: { apiKey: KEY, baseUrl: null } }, { ...envFor(fake.url), logger: createLogger('debug', (l) => lines.push(l)) })
    await m.completeJson(ask)
    expect(lines.join('')).toMatch(/deepseek: retrying/)
    expect(lines).toHaveLength(2)
    expect(lines.join('')).not.toContain(KEY)
  })

  it('gives up on a 429 that never ends as rate_limited, after 5 tries', async () => {
    fake = await startChatFake({ keys: [KEY] })
    fake.inject('POST /chat/completions', ...Array.from({ length: 5 }, () => chatFaults.rateLimited(0)))
    const error = await (await model()).completeJson(ask).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).kind).toBe('rate_limited')
    expect(fake.requests).toHaveLength(5)
  })

  it('fails at once on a bad key (auth), never echoing the key', async () => {
    fake = await startChatFake({ keys: ['sk-other'] })
    const error = (await (await model()).completeJson(ask).catch((e: unknown) => e)) as ProviderError
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/401/)
    expect(error.message).not.toContain(KEY)
    expect(fake.requests).toHaveLength(1)
  })

  it('fails at once on 402 Insufficient Balance (quota), and on OpenAI-style 429 insufficient_quota', async () => {
    fake = await startChatFake({ keys: [KEY] })
    fake.inject('POST /chat/completions', chatFaults.insufficientBalance(), jsonResponse(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }))
    const m = await model()
    const first = (await m.completeJson(ask).catch((e: unknown) => e)) as ProviderError
    expect([first.kind, first.message]).toEqual(['quota', expect.stringMatching(/Insufficient Balance/)])
    const second = (await m.completeJson(ask).catch((e: unknown) => e)) as ProviderError
    expect(second.kind).toBe('quota')
    expect(fake.requests).toHaveLength(2)
  })

  it('is refused (permanent) by the strict fake without the word json, or with a retired model id', async () => {
    fake = await startChatFake({ keys: [KEY] })
    const m = await model()
    const noJson = (await m.completeJson([{ role: 'user', content: 'topics please' }]).catch((e: unknown) => e)) as ProviderError
    expect([noJson.kind, noJson.message]).toEqual(['permanent', expect.stringMatching(/must contain the word 'json'/)])
    const retired = (await (await model({ model: 'deepseek-chat' })).completeJson(ask).catch((e: unknown) => e)) as ProviderError
    expect(retired.message).toMatch(/retired/)
  })

  it('passes invalid or empty JSON content through for the caller to validate', async () => {
    fake = await startChatFake({ keys: [KEY] })
    fake.answerNext('{"main_topic": "cut', '')
    const m = await model()
    expect((await m.completeJson(ask)).content).toBe('{"main_topic": "cut')
    expect((await m.completeJson(ask)).content).toBe('')
  })

  it('stops waiting for a retry when cancelled', async () => {
    fake = await startChatFake({ keys: [KEY] })
    fake.inject('POST /chat/completions', chatFaults.rateLimited(30))
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const started = Date.now()
    const error = await (await model()).completeJson(ask, { signal: controller.signal }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecflowError)
    expect((error as RecflowError).code).toBe('cancelled')
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

describe('checkChatKey (credentials test for deepseek)', () => {
  let fake: ChatFake | undefined
  afterEach(async () => fake?.close())

  it('reports an accepted key with its balance, a bad key as auth, and a dead host as unreachable', async () => {
    fake = await startChatFake({ keys: [KEY], balance: '4.20' })
    expect(await checkChatKey({ apiKey: KEY, baseUrl: null }, envFor(fake.url))).toEqual({ ok: true, detail: 'the key is accepted; balance 4.20 USD' })
    const bad = await checkChatKey({ apiKey: 'sk-wrong-key-000', baseUrl: null }, envFor(fake.url))
    expect(bad).toMatchObject({ ok: false, kind: 'auth' })
    expect(JSON.stringify(bad)).not.toContain('sk-wrong-key-000')
    const url = fake.url
    await fake.close()
    fake = undefined
    expect(await checkChatKey({ apiKey: KEY, baseUrl: null }, envFor(url))).toMatchObject({ ok: false, kind: 'unreachable' })
  })
})

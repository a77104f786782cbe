import { afterEach, describe, expect, it } from 'vitest'
import { startChatFake, type ChatFake } from '../../fakes/chat.js'

// The chat fake refuses what DeepSeek refuses (API-CONTRACTS.md §E), so a client bug cannot pass against it.
describe('chat fake strictness', () => {
  let fake: ChatFake | undefined
  afterEach(async () => fake?.close())

  const post = (body: unknown, key = 'sk-test') =>
    fetch(`${fake!.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  const ok = { model: 'deepseek-v4-flash', messages: [{ role: 'user', content: 'json please\n[0] hello there' }], response_format: { type: 'json_object' } }

  it.each([
    ['a body that is not JSON', 'nope', 400, /Invalid Format/],
    ['no model', { ...ok, model: undefined }, 422, /model is required/],
    ['an unknown model', { ...ok, model: 'gpt-9' }, 400, /Model Not Exist/],
    ['no messages', { ...ok, messages: [] }, 422, /messages/],
    ['a message without string content', { ...ok, messages: [{ role: 'user', content: 3 }] }, 422, /string content/],
    ['a bad role', { ...ok, messages: [{ role: 'robot', content: 'json' }] }, 422, /role/],
    ['json_object without the word json', { ...ok, messages: [{ role: 'user', content: 'hello' }] }, 400, /word 'json'/],
    ['max_tokens out of range', { ...ok, max_tokens: 0 }, 422, /max_tokens/],
    ['temperature out of range', { ...ok, temperature: 3 }, 422, /temperature/],
    ['streaming', { ...ok, stream: true }, 400, /streaming/],
  ])('refuses %s', async (_name, body, status, message) => {
    fake = await startChatFake()
    const res = await post(body)
    expect(res.status).toBe(status)
    const json = (await res.json()) as { error: { message: string; type: string } }
    expect(json.error.message).toMatch(message)
    expect(fake.completions()).toHaveLength(0)
  })

  it('refuses an unknown key with DeepSeek\'s 401 body, masking the key', async () => {
    fake = await startChatFake()
    const res = await post(ok, 'sk-unknown-1234')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: { message: 'Authentication Fails, Your api key: ****1234 is invalid', type: 'authentication_error', param: null, code: 'invalid_request_error' } })
  })

  it('answers a chat.completion with scripted contents first, then derived topics', async () => {
    fake = await startChatFake()
    fake.answerNext('not json', { main_topic: 'm' })
    const contents = []
    for (let i = 0; i < 3; i++) {
      const body = (await (await post(ok)).json()) as { object: string; choices: Array<{ message: { content: string }; finish_reason: string }> }
      expect(body.object).toBe('chat.completion')
      contents.push(body.choices[0]!.message.content)
    }
    expect(contents.slice(0, 2)).toEqual(['not json', '{"main_topic":"m"}'])
    expect(JSON.parse(contents[2]!)).toMatchObject({ topics: [{ title: 'Hello there', start: 0 }] })
  })
})

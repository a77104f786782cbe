import { describe, expect, it } from 'vitest'
import { parseTopicAnswer, splitLines, topicCount, topicCountForPart, topicsMessages } from '../../../../src/domain/topics/index.js'

describe('parseTopicAnswer', () => {
  const good = { main_topic: 'Consensus', summary: 'Logs and leaders.', topics: [{ title: 'Logs', start: 120 }, { title: 'Intro', start: 0, extra: 1 }], model_notes: 'x' }

  it('accepts the required shape, ignores extra fields and sorts topics by start', () => {
    expect(parseTopicAnswer(JSON.stringify(good), 600)).toEqual({
      ok: true,
      answer: { main_topic: 'Consensus', summary: 'Logs and leaders.', topics: [{ title: 'Intro', start: 0 }, { title: 'Logs', start: 120 }] },
    })
  })

  it('tolerates a ```json fence', () => {
    expect(parseTopicAnswer('```json\n' + JSON.stringify(good) + '\n```', 600).ok).toBe(true)
  })

  it.each([
    ['', /empty/],
    ['{"main_topic": "cut', /not valid JSON/],
    [JSON.stringify({ ...good, topics: [] }), /topics must list at least one topic/],
    [JSON.stringify({ ...good, summary: 3 }), /summary/],
    [JSON.stringify({ ...good, topics: [{ title: 'Late', start: 900 }] }), /no topic starts inside the recording/],
    [JSON.stringify({ ...good, topics: [{ title: 'Negative', start: -1 }] }), /topics.0.start/],
  ])('refuses %j', (content, problem) => {
    const out = parseTopicAnswer(content, 600)
    expect(out.ok).toBe(false)
    if (!out.ok) expect(out.problem).toMatch(problem)
  })

  it('drops topics past the end and keeps one per start second', () => {
    const out = parseTopicAnswer(JSON.stringify({ ...good, topics: [{ title: 'A', start: 0 }, { title: 'A again', start: 0.4 }, { title: 'Late', start: 700 }] }), 600)
    expect(out.ok && out.answer.topics).toEqual([{ title: 'A', start: 0 }])
  })
})

describe('topicCount', () => {
  it('asks for more topics for longer recordings and finer granularity', () => {
    expect(topicCount(3600, 'short')).toEqual({ min: 3, max: 5 })
    expect(topicCount(3600, 'medium')).toEqual({ min: 6, max: 10 })
    expect(topicCount(3600, 'long')).toEqual({ min: 9, max: 15 })
    expect(topicCount(3 * 3600, 'long').max).toBe(25)
  })

  it('asks for at least 3 when 3 chapters fit, and never more than fit', () => {
    expect(topicCount(300, 'short')).toEqual({ min: 3, max: 3 })
    expect(topicCount(25, 'long')).toEqual({ min: 2, max: 2 })
  })

  it('shares a count between the parts of a split transcript', () => {
    expect(topicCountForPart({ min: 9, max: 15 }, 1800, 3600)).toEqual({ min: 4, max: 8 })
  })
})

describe('splitLines', () => {
  it('keeps every line once, in order, in parts within the budget', () => {
    const lines = Array.from({ length: 100 }, (_, i) => ({ start: i * 5, text: `line ${i} `.repeat(10) }))
    const parts = splitLines(lines, 300)
    expect(parts.length).toBeGreaterThan(3)
    expect(parts.flat()).toEqual(lines)
  })

  it('puts the transcript lines in the prompt as [seconds] text and says json', () => {
    const [system, user] = topicsMessages({ title: 'T', lines: [{ start: 12.345, text: 'hello' }], count: { min: 3, max: 5 }, language: 'en' })
    expect(system!.content).toMatch(/JSON/)
    expect(system!.content).toMatch(/3 to 5 topics/)
    expect(user!.content).toContain('[12.3] hello')
  })
})

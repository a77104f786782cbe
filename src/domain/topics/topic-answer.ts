import { z } from 'zod'

/*
 * What the chat model must answer (ISSUE-8 §6): exactly {"main_topic": str, "summary": str, "topics": [{"title": str,
 * "start": seconds}]}; extra fields anywhere are ignored (zod strips them). `start` is in the processed video's
 * timeline. An answer that parses but says nothing usable (no topic inside the recording) is invalid too: an empty
 * result is never a success.
 */
export const topicAnswerSchema = z.object({
  main_topic: z.string().trim().min(1, 'must not be empty').max(300),
  summary: z.string().trim().min(1, 'must not be empty').max(5000),
  topics: z
    .array(
      z.object({
        title: z.string().trim().min(1, 'must not be empty').max(300),
        start: z.number().finite().min(0),
      }),
    )
    .min(1, 'must list at least one topic'),
})

export type TopicAnswer = z.infer<typeof topicAnswerSchema>
export interface TopicItem {
  title: string
  start: number
}

export type ParsedAnswer = { ok: true; answer: TopicAnswer } | { ok: false; problem: string }

/**
 * Parses the model's content: JSON (a ```json fence around it is tolerated), the schema, then the topics kept
 * inside [0, duration), in time order, one per start second, titles on one line.
 */
export function parseTopicAnswer(content: string, durationS: number): ParsedAnswer {
  const text = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1')
  if (text === '') return { ok: false, problem: 'the answer was empty' }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return { ok: false, problem: `the answer is not valid JSON (${(e as Error).message})` }
  }
  const parsed = topicAnswerSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return { ok: false, problem: `the answer does not have the required shape: ${issue.path.join('.') || '(root)'} ${issue.message}` }
  }
  const topics = normalizeTopics(parsed.data.topics, durationS)
  if (topics.length === 0) return { ok: false, problem: `no topic starts inside the recording (0 to ${Math.round(durationS)} s)` }
  return { ok: true, answer: { main_topic: oneLine(parsed.data.main_topic), summary: parsed.data.summary.trim(), topics } }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim()

/** Inside [0, duration) (no bound when the duration is unknown), sorted, one topic per whole second. */
export function normalizeTopics(topics: readonly TopicItem[], durationS: number): TopicItem[] {
  const bounded = Number.isFinite(durationS) && durationS > 0
  const seen = new Set<number>()
  return topics
    .map((t) => ({ title: oneLine(t.title), start: Math.round(t.start * 10) / 10 }))
    .filter((t) => t.title !== '' && (!bounded || t.start < durationS))
    .sort((a, b) => a.start - b.start)
    .filter((t) => {
      const second = Math.floor(t.start)
      if (seen.has(second)) return false
      seen.add(second)
      return true
    })
}

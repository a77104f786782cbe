import { RecflowError } from '../../domain/errors.js'
import type { Transcript } from '../../domain/transcript/index.js'
import {
  mergeMessages,
  parseTopicAnswer,
  retryMessages,
  splitLines,
  topicCount,
  topicCountForPart,
  topicsMessages,
  type Granularity,
  type PromptMessage,
  type TopicAnswer,
  type TranscriptLine,
} from '../../domain/topics/index.js'
import type { TextModel } from '../../providers/types.js'

/*
 * Topic extraction against a chat model: the transcript (one line per segment) in one request when it fits the
 * model's context, else in parts whose answers a last request merges. Each answer is validated (zod, starts inside
 * the recording); an invalid one is asked for once more with what was wrong, and a second invalid answer fails.
 * Never an empty result: a failure throws.
 */

/** Room kept in the context for the instructions and the answer. */
const RESERVED_TOKENS = 10_000
/** Parts stay this small even for a huge context: long prompts make worse indexes. */
const MAX_PART_TOKENS = 120_000
const ANSWER_MAX_TOKENS = 4096

export interface ExtractInput {
  title: string
  transcript: Transcript
  granularity: Granularity
  /** Shown in the error's hint: `recflow recordings run ID --force EXTRACT_TOPICS`. */
  recordingId: number
}

export interface Extraction {
  answer: TopicAnswer
  model: string
  /** Parts the transcript was split into (1 = whole). */
  parts: number
  /** Requests sent (retries after an invalid answer included). */
  calls: number
  retries: number
  usage: { promptTokens: number; completionTokens: number }
}

export function transcriptLines(t: Pick<Transcript, 'segments' | 'words'>): TranscriptLine[] {
  const fromSegments = t.segments.map((s) => ({ start: s.start, text: s.text.replace(/\s+/g, ' ').trim() })).filter((l) => l.text !== '')
  if (fromSegments.length > 0) return fromSegments
  const lines: TranscriptLine[] = []
  for (let i = 0; i < t.words.length; i += 20) {
    const words = t.words.slice(i, i + 20)
    lines.push({ start: words[0]!.start, text: words.map((w) => w.text.trim()).join(' ') })
  }
  return lines
}

export async function extractTopics(
  model: TextModel,
  input: ExtractInput,
  control: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<Extraction> {
  const { transcript } = input
  const duration = transcript.duration
  const count = topicCount(duration, input.granularity)
  const budget = Math.max(2_000, Math.min(MAX_PART_TOKENS, model.contextTokens - RESERVED_TOKENS))
  const parts = splitLines(transcriptLines(transcript), budget)
  const total = parts.length === 1 ? 1 : parts.length + 1
  const stats = { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, model: model.model }

  const ask = async (messages: PromptMessage[], what: string): Promise<TopicAnswer> => {
    let conversation = messages
    for (let attempt = 1; ; attempt++) {
      const completion = await model.completeJson(conversation, { signal: control.signal, maxTokens: ANSWER_MAX_TOKENS })
      stats.calls++
      stats.model = completion.model
      stats.promptTokens += completion.usage?.promptTokens ?? 0
      stats.completionTokens += completion.usage?.completionTokens ?? 0
      const parsed = parseTopicAnswer(completion.content, duration)
      if (parsed.ok) return parsed.answer
      const problem = completion.finishReason === 'length' ? `${parsed.problem} (the answer was cut off at ${ANSWER_MAX_TOKENS} tokens)` : parsed.problem
      if (attempt >= 2) {
        throw new RecflowError('provider', `the ${model.provider} model ${model.model} gave no valid topics for ${what} in two answers: ${problem}`, {
          hint: `run \`recflow recordings run ${input.recordingId} --force EXTRACT_TOPICS\` to try again (or set another topics.model)`,
          details: { kind: 'permanent', provider: model.provider },
        })
      }
      stats.retries++
      conversation = retryMessages(messages, completion.content, problem)
    }
  }

  let answer: TopicAnswer
  if (parts.length === 1) {
    answer = await ask(topicsMessages({ title: input.title, lines: parts[0]!, count, language: transcript.language }), 'the transcript')
    control.onProgress?.(1, 1)
  } else {
    const answers: TopicAnswer[] = []
    for (const [i, lines] of parts.entries()) {
      const fromS = lines[0]!.start
      const toS = parts[i + 1]?.[0]?.start ?? duration
      const part = { index: i + 1, of: parts.length, fromS, toS }
      answers.push(await ask(topicsMessages({ title: input.title, lines, count: topicCountForPart(count, toS - fromS, duration), language: transcript.language, part }), `part ${i + 1} of ${parts.length}`))
      control.onProgress?.(i + 1, total)
    }
    answer = await ask(mergeMessages({ title: input.title, parts: answers, count, language: transcript.language, durationS: duration }), 'the merged parts')
    control.onProgress?.(total, total)
  }
  return {
    answer,
    model: stats.model,
    parts: parts.length,
    calls: stats.calls,
    retries: stats.retries,
    usage: { promptTokens: stats.promptTokens, completionTokens: stats.completionTokens },
  }
}

import type { TopicAnswer } from './topic-answer.js'
import type { TopicCount } from './topic-count.js'

/*
 * The prompts for topic extraction (JSON mode: DeepSeek requires the word "json" and advises an example of the
 * format). The transcript goes in as one line per segment, `[seconds] text`, so the model can take each topic's
 * start from the line where it begins. Pure: the stage sends what these build.
 */

export interface PromptMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface TranscriptLine {
  start: number
  text: string
}

const FORMAT = '{"main_topic": "…", "summary": "…", "topics": [{"title": "…", "start": 0}]}'

function instructions(count: TopicCount, language: string | null): string {
  const range = count.min === count.max ? `${count.max} topics` : `${count.min} to ${count.max} topics`
  return [
    'You index recorded lectures and meetings. Answer with one JSON object and nothing else, exactly in this format:',
    FORMAT,
    `- topics: ${range}, in time order; each title a few words (at most 80 characters); start = the time in seconds,`,
    '  taken from the transcript line where the topic begins. The first topic starts at the first line.',
    '- main_topic: the subject of the whole recording, in a few words.',
    '- summary: two to four sentences about what the recording covers.',
    `- Write titles, main_topic and summary in ${language ? `the transcript's language (${language})` : "the transcript's language"}.`,
  ].join('\n')
}

const linesText = (lines: readonly TranscriptLine[]) => lines.map((l) => `[${formatSeconds(l.start)}] ${l.text}`).join('\n')

export const formatSeconds = (s: number) => String(Math.round(s * 10) / 10)

/** Messages asking for the topics of a transcript, or of one part of it (`part`, for a transcript split by context). */
export function topicsMessages(opts: {
  title: string
  lines: readonly TranscriptLine[]
  count: TopicCount
  language: string | null
  part?: { index: number; of: number; fromS: number; toS: number }
}): PromptMessage[] {
  const where = opts.part
    ? `This is part ${opts.part.index} of ${opts.part.of} of the transcript (from ${formatSeconds(opts.part.fromS)} s to ${formatSeconds(opts.part.toS)} s); index this part only.`
    : 'This is the whole transcript.'
  return [
    { role: 'system', content: instructions(opts.count, opts.language) },
    { role: 'user', content: `Recording title: ${opts.title}\n${where}\nTranscript (one line per segment, [seconds] text):\n${linesText(opts.lines)}` },
  ]
}

/** Messages merging the answers for the parts of a long transcript into one answer. */
export function mergeMessages(opts: { title: string; parts: readonly TopicAnswer[]; count: TopicCount; language: string | null; durationS: number }): PromptMessage[] {
  const summaries = opts.parts.map((p, i) => `Part ${i + 1}: ${p.main_topic}. ${p.summary}`).join('\n')
  const candidates = opts.parts.flatMap((p) => p.topics).map((t) => ({ start: t.start, text: t.title }))
  return [
    { role: 'system', content: instructions(opts.count, opts.language) },
    {
      role: 'user',
      content:
        `Recording title: ${opts.title} (${formatSeconds(opts.durationS)} s). The transcript was indexed in ${opts.parts.length} parts.\n` +
        `Summaries of the parts:\n${summaries}\n` +
        'Topics found in the parts ([seconds] title); merge neighbours that are one topic and keep their earliest start:\n' +
        linesText(candidates),
    },
  ]
}

/** The follow-up after an answer that was not valid: what was wrong, and the format again. */
export function retryMessages(previous: readonly PromptMessage[], answer: string, problem: string): PromptMessage[] {
  return [
    ...previous,
    { role: 'assistant', content: answer.slice(0, 4000) },
    { role: 'user', content: `That answer cannot be used: ${problem}. Answer again with only the JSON object, exactly in this format: ${FORMAT}` },
  ]
}

/** A rough token count for splitting (about 3 characters a token: conservative for English, fair for others). */
export const estimateTokens = (text: string) => Math.ceil(text.length / 3)

/**
 * Consecutive parts of the transcript, each within `budgetTokens` (a line longer than that is a part on its own),
 * so a transcript longer than the model's context is indexed part by part.
 */
export function splitLines(lines: readonly TranscriptLine[], budgetTokens: number): TranscriptLine[][] {
  const parts: TranscriptLine[][] = []
  let current: TranscriptLine[] = []
  let used = 0
  for (const line of lines) {
    const cost = estimateTokens(line.text) + 4
    if (current.length > 0 && used + cost > budgetTokens) {
      parts.push(current)
      current = []
      used = 0
    }
    current.push(line)
    used += cost
  }
  if (current.length > 0) parts.push(current)
  return parts
}

/** Whisper-style models read at most ~224 tokens of prompt; a longer one is cut, from the end. */
export const MAX_PROMPT_CHARS = 800

/**
 * The hint sent with every piece: the configured prompt, the recording's title, then the vocabulary (names and
 * terms the model should spell as written).
 */
export function transcriptionPrompt(input: { prompt: string; title: string; vocabulary: readonly string[] }): string {
  const parts = [input.prompt.trim(), input.title.trim()]
  if (input.vocabulary.length > 0) parts.push(`Vocabulary: ${input.vocabulary.map((v) => v.trim()).join(', ')}.`)
  const text = parts.filter((p) => p !== '').join('\n')
  return text.length <= MAX_PROMPT_CHARS ? text : text.slice(0, MAX_PROMPT_CHARS)
}

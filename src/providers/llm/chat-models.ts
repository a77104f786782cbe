import type { TextModel } from '../types.js'

/*
 * Model ids and context windows (API-CONTRACTS.md §E.2). DeepSeek retired `deepseek-chat`/`deepseek-reasoner` on
 * 2026-07-24; its current ids are the V4 ones (`deepseek-v4-flash` is also accepted under the newest naming). The
 * model is configurable (`topics.model`); these are only the defaults and what we know of each window.
 */
export const DEFAULT_CHAT_MODEL: Record<TextModel['provider'], string> = {
  deepseek: 'deepseek-v4-flash',
  openai: 'gpt-4o-mini',
}

const CONTEXT_TOKENS: Record<string, number> = {
  'deepseek-v4-flash': 1_000_000,
  'deepseek-v4-pro': 1_000_000,
  'deepseek-flash': 1_000_000,
  'deepseek-chat': 128_000,
  'deepseek-reasoner': 128_000,
  'gpt-4o-mini': 128_000,
  'gpt-4o': 128_000,
  'gpt-4.1': 1_000_000,
  'gpt-4.1-mini': 1_000_000,
}

/** A window every current chat model has; used for an id we do not know, so a transcript is split rather than cut. */
export const UNKNOWN_MODEL_CONTEXT_TOKENS = 32_000

export function contextTokensOf(model: string): number {
  return CONTEXT_TOKENS[model] ?? UNKNOWN_MODEL_CONTEXT_TOKENS
}

/** DeepSeek V4 thinks by default; JSON extraction needs no reasoning, so the client turns it off for these ids. */
export function hasThinkingSwitch(provider: TextModel['provider'], model: string): boolean {
  return provider === 'deepseek' && /^deepseek-(v4|flash|pro)/.test(model)
}

/**
 * OpenAI's reasoning models (o1, o3, o4-mini, gpt-5...) refuse `max_tokens` and a temperature: they take
 * `max_completion_tokens` and their fixed sampling. Other models and compatible services keep the classic fields.
 */
export function usesReasoningParams(provider: TextModel['provider'], model: string): boolean {
  return provider === 'openai' && /^(o\d|gpt-5)/.test(model)
}

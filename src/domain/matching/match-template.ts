import type { RE2JS } from 're2js'
import { RecflowError } from '../errors.js'
import { compilePattern } from './compile-pattern.js'
import type { MatchingRulesInput } from './matching-rules.js'

export interface MatchableRecording {
  display_name: string
  input_source_id?: number | null
}

export interface MatchableTemplate {
  id: number
  created_at: string | Date
  is_active: boolean
  is_draft: boolean
  matching_rules: MatchingRulesInput
}

export interface TemplateMatch {
  templateId: number
  /** Which rule matched, for people: `keyword "Math"`, `pattern "^CS\d+"`, `exact match "Weekly sync"`. */
  reason: string
}

/** Rules with their patterns compiled once, so a batch of recordings does not recompile per title. */
export interface CompiledRules {
  exact: string[]
  keywords: Array<{ source: string; folded: string }>
  patterns: Array<{ source: string; re: RE2JS }>
  sourceIds: number[]
  excludeKeywords: string[]
  excludePatterns: RE2JS[]
  caseSensitive: boolean
}

export function compileRules(rules: MatchingRulesInput): CompiledRules {
  const caseSensitive = rules.case_sensitive ?? false
  const fold = (s: string) => normalise(s, caseSensitive)
  return {
    exact: (rules.exact_matches ?? []).map((s) => fold(s.trim())),
    keywords: (rules.keywords ?? []).map((source) => ({ source, folded: fold(source) })),
    patterns: (rules.patterns ?? []).map((source) => ({ source, re: compilePattern(source, caseSensitive) })),
    sourceIds: rules.source_ids ?? [],
    excludeKeywords: (rules.exclude_keywords ?? []).map(fold),
    excludePatterns: (rules.exclude_patterns ?? []).map((p) => compilePattern(p, caseSensitive)),
    caseSensitive,
  }
}

/**
 * Whether one template's rules accept a recording, and why. Order: the source filter, then the excludes (any hit
 * rejects), then the positive rules (exact title, keyword substring, pattern search; the first that hits is the
 * reason).
 */
export function matchRules(recording: MatchableRecording, rules: CompiledRules): string | null {
  if (rules.sourceIds.length > 0) {
    const source = recording.input_source_id
    if (source == null || !rules.sourceIds.includes(source)) return null
  }
  const title = recording.display_name.normalize('NFC')
  const folded = normalise(title, rules.caseSensitive)
  if (rules.excludeKeywords.some((k) => folded.includes(k))) return null
  if (rules.excludePatterns.some((re) => re.test(title))) return null

  const trimmed = folded.trim()
  const exact = rules.exact.find((e) => e === trimmed)
  if (exact !== undefined) return `exact match ${JSON.stringify(title.trim())}`
  const keyword = rules.keywords.find((k) => folded.includes(k.folded))
  if (keyword !== undefined) return `keyword ${JSON.stringify(keyword.source)}`
  const pattern = rules.patterns.find((p) => p.re.test(title))
  if (pattern !== undefined) return `pattern ${JSON.stringify(pattern.source)}`
  return null
}

/**
 * Whether one template's rules accept a recording, ignoring other templates and the template's own active/draft
 * state, so a draft can be tried out before it goes live (preview-match).
 */
export function templateMatches(
  recording: MatchableRecording,
  template: Pick<MatchableTemplate, 'id' | 'matching_rules'>,
): string | null {
  return matchRules(recording, compileTemplateRules(template))
}

/**
 * The template a recording belongs to: among active, non-draft templates, oldest first (created_at, then id),
 * the first whose rules accept it. Null means unmapped (the recording is SKIPPED).
 */
export function matchTemplate(recording: MatchableRecording, templates: readonly MatchableTemplate[]): TemplateMatch | null {
  return createMatcher(templates)(recording)
}

/** Compiles the candidate templates once and returns a function that matches any number of recordings. */
export function createMatcher(templates: readonly MatchableTemplate[]): (recording: MatchableRecording) => TemplateMatch | null {
  const compiled = orderTemplates(templates.filter(isCandidate)).map((t) => ({ id: t.id, rules: compileTemplateRules(t) }))
  return (recording) => {
    for (const t of compiled) {
      const reason = matchRules(recording, t.rules)
      if (reason !== null) return { templateId: t.id, reason }
    }
    return null
  }
}

export function orderTemplates<T extends Pick<MatchableTemplate, 'id' | 'created_at'>>(templates: readonly T[]): T[] {
  return [...templates].sort((a, b) => compareCreated(a.created_at, b.created_at) || a.id - b.id)
}

function isCandidate(t: MatchableTemplate): boolean {
  return t.is_active && !t.is_draft
}

// Stored templates were validated when saved; if one still fails to compile, say which one instead of
// silently leaving recordings unmapped.
export function compileTemplateRules(t: Pick<MatchableTemplate, 'id' | 'matching_rules'>): CompiledRules {
  try {
    return compileRules(t.matching_rules)
  } catch (e) {
    if (e instanceof RecflowError) {
      throw new RecflowError('validation', `template ${t.id}: ${e.message}`, {
        hint: `fix its matching_rules with \`recflow templates edit ${t.id}\``,
        cause: e,
      })
    }
    throw e
  }
}

function compareCreated(a: string | Date, b: string | Date): number {
  const ta = a instanceof Date ? a.getTime() : Date.parse(a)
  const tb = b instanceof Date ? b.getTime() : Date.parse(b)
  if (Number.isNaN(ta) || Number.isNaN(tb)) return String(a).localeCompare(String(b))
  return ta - tb
}

// NFC so that a composed "é" in a rule matches a decomposed one in a title from another platform.
function normalise(s: string, caseSensitive: boolean): string {
  const n = s.normalize('NFC')
  return caseSensitive ? n : n.toLowerCase()
}

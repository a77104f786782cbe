import { z } from 'zod'
import { validationError } from '../errors.js'
import { strictObject } from '../resources/strict-object.js'

// Blank entries would match every title (a keyword '' is a substring of everything), so they are rejected.
const nonBlank = z.string().trim().min(1)

/**
 * How a template recognises its recordings. `source_ids` only narrows the candidates; a recording is matched by
 * an exact title, a keyword or a pattern. Patterns use RE2 syntax (see compile-pattern.ts).
 */
export const matchingRulesSchema = strictObject({
  exact_matches: z.array(nonBlank).optional(),
  keywords: z.array(nonBlank).optional(),
  patterns: z.array(nonBlank).optional(),
  source_ids: z.array(z.number().int().positive()).optional(),
  exclude_keywords: z.array(nonBlank).optional(),
  exclude_patterns: z.array(nonBlank).optional(),
  case_sensitive: z.boolean().default(false),
})

export type MatchingRules = z.output<typeof matchingRulesSchema>
/** What callers may hand in (stored JSON, a request body): every key optional. */
export type MatchingRulesInput = z.input<typeof matchingRulesSchema>

export function hasPositiveRule(rules: MatchingRulesInput): boolean {
  return (rules.exact_matches?.length ?? 0) + (rules.keywords?.length ?? 0) + (rules.patterns?.length ?? 0) > 0
}

/** A non-draft template must be able to match something on its own; a source filter alone never matches. */
export function assertMatchable(rules: MatchingRulesInput): void {
  if (hasPositiveRule(rules)) return
  const onlySources = (rules.source_ids?.length ?? 0) > 0
  throw validationError(
    onlySources
      ? 'matching_rules: source_ids only narrows which recordings are considered; add exact_matches, keywords or patterns'
      : 'matching_rules: a template needs at least one of exact_matches, keywords or patterns',
    'add a rule (e.g. keywords: ["Linear Algebra"]) or save the template as a draft (is_draft: true)',
  )
}

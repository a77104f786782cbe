import type { UserScope } from '../../db/index.js'
import { createMatcher, type MatchableRecording, type MatchingRulesInput, type TemplateMatch } from '../../domain/matching/index.js'
import { listAll } from '../paging.js'

/**
 * The user's active, non-draft templates compiled once for a whole sync or import. Stored matching_rules were
 * validated when saved; a template whose rules still fail to compile stops the run with its id in the message.
 */
export async function loadMatcher(scope: UserScope): Promise<(recording: MatchableRecording) => TemplateMatch | null> {
  const templates = await listAll((page) => scope.templates.list({ activeOnly: true }, page))
  return createMatcher(templates.map((t) => ({ ...t, matching_rules: (t.matching_rules ?? {}) as MatchingRulesInput })))
}

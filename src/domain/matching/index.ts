export { matchingRulesSchema, assertMatchable, hasPositiveRule } from './matching-rules.js'
export type { MatchingRules, MatchingRulesInput } from './matching-rules.js'
export { compilePattern, MAX_PATTERN_LENGTH } from './compile-pattern.js'
export {
  matchTemplate,
  createMatcher,
  templateMatches,
  compileRules,
  compileTemplateRules,
  matchRules,
  orderTemplates,
} from './match-template.js'
export type { MatchableRecording, MatchableTemplate, TemplateMatch, CompiledRules } from './match-template.js'
export { selectForRematch, previewRematch, previewMatch } from './rematch.js'
export type { BoundRecording, RematchChange, RematchOptions, RematchPreview } from './rematch.js'

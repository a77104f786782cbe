import { compileTemplateRules, createMatcher, matchRules } from './match-template.js'
import type { MatchableRecording, MatchableTemplate } from './match-template.js'

export interface BoundRecording extends MatchableRecording {
  id: number
  /** The template the recording is bound to now; null = unmapped. */
  template_id: number | null
}

export interface RematchChange {
  recordingId: number
  from: number | null
  to: number | null
  /** Why `to` matched, or null when the recording becomes unmapped. */
  reason: string | null
}

export interface RematchOptions {
  /** Leave recordings already bound to the template alone; only pick up unmapped ones. */
  onlyUnmapped: boolean
}

/**
 * The binding changes a rematch of template `templateId` makes (the same selection serves rematch and
 * preview-rematch). It considers unmapped recordings and, unless `onlyUnmapped`, those bound to the template, and
 * gives each the binding a fresh match over all templates would give (oldest template first). Only changes that
 * involve this template are returned: an unmapped recording that an older template would claim is left for
 * that template's rematch, so rematching one template never rebinds recordings to an unrelated one unasked.
 * A recording bound to the template that no longer matches it moves to the template that wins now, or to
 * unmapped.
 */
export function selectForRematch(
  recordings: readonly BoundRecording[],
  templateId: number,
  templates: readonly MatchableTemplate[],
  options: RematchOptions,
): RematchChange[] {
  const match = createMatcher(templates)
  const changes: RematchChange[] = []
  for (const rec of recordings) {
    const bound = rec.template_id === templateId
    if (rec.template_id !== null && !(bound && !options.onlyUnmapped)) continue
    const found = match(rec)
    const to = found?.templateId ?? null
    if (to === rec.template_id) continue
    if (!bound && to !== templateId) continue
    changes.push({ recordingId: rec.id, from: rec.template_id, to, reason: found?.reason ?? null })
  }
  return changes
}

export interface RematchPreview {
  templateId: number
  /** How many recordings the rematch looked at. */
  considered: number
  changes: Array<RematchChange & { display_name: string }>
}

/** `selectForRematch` with what a person needs to review it (preview-rematch): titles and the number looked at. */
export function previewRematch(
  recordings: readonly BoundRecording[],
  templateId: number,
  templates: readonly MatchableTemplate[],
  options: RematchOptions,
): RematchPreview {
  const considered = recordings.filter(
    (r) => r.template_id === null || (!options.onlyUnmapped && r.template_id === templateId),
  ).length
  const titles = new Map(recordings.map((r) => [r.id, r.display_name]))
  const changes = selectForRematch(recordings, templateId, templates, options).map((c) => ({
    ...c,
    display_name: titles.get(c.recordingId) ?? '',
  }))
  return { templateId, considered, changes }
}

/**
 * Which unmapped recordings one template's rules would match now (preview-match), judged on its rules alone,
 * so it also works for a draft or an inactive template.
 */
export function previewMatch(
  recordings: readonly BoundRecording[],
  template: Pick<MatchableTemplate, 'id' | 'matching_rules'>,
): Array<{ recordingId: number; display_name: string; reason: string }> {
  const rules = compileTemplateRules(template)
  const out: Array<{ recordingId: number; display_name: string; reason: string }> = []
  for (const rec of recordings) {
    if (rec.template_id !== null) continue
    const reason = matchRules(rec, rules)
    if (reason !== null) out.push({ recordingId: rec.id, display_name: rec.display_name, reason })
  }
  return out
}

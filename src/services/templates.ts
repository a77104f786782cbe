import type { Template } from '../db/index.js'
import { notFound } from '../domain/errors.js'
import type { TemplateInput } from '../domain/resources/index.js'
import { refusePastPublishAt } from '../domain/publish/publish-at.js'
import type { ServiceDeps, UserRef } from './context.js'
import { listAll, type ListOptions } from './paging.js'
import { ownedResource } from './owned-resource.js'
import { danglingPresetIds, danglingSourceIds, detachTemplate, jobsUsingTemplate, type Detached } from './references.js'
import type { RematchResult } from './template-rematch.js'

/** GET /templates/{id}/stats: the template's recordings by status (one aggregate), and its matches. */
export interface TemplateStats {
  template: { id: number; name: string }
  /** Recordings bound to it now (soft-deleted ones left out). */
  total: number
  by_status: Record<string, number>
  failed: number
  /** How many recordings it has matched (sync, import, rematch) and when it last did. */
  matched_count: number
  last_matched_at: string | null
  /** The latest change to any of its recordings. */
  last_activity_at: string | null
}

export interface FromRecordingInput {
  recordingId: number
  name: string
  matchPattern?: string
  matchSourceId?: number
}

/** A template as `show` and `edit` return it: with the references it holds to presets or sources that are gone. */
export type CheckedTemplate = Template & { problems?: string[] }

/** A config document stored empty (`{}`) stays unset on edit, so schema defaults do not appear in it unasked. */
const unlessEmpty = (doc: unknown) =>
  doc !== null && typeof doc === 'object' && Object.keys(doc).length === 0 ? undefined : doc

/** The fields of a stored template that make up its input document (what `edit` patches and re-validates). */
function toInput(t: Template): Record<string, unknown> {
  return {
    name: t.name,
    description: t.description,
    matching_rules: t.matching_rules ?? {},
    processing_config: unlessEmpty(t.processing_config),
    metadata_config: unlessEmpty(t.metadata_config),
    output_config: unlessEmpty(t.output_config),
    is_draft: t.is_draft,
    is_active: t.is_active,
  }
}

/** The schemas and checks, loaded on the first write or preview: listing and showing templates never build them. */
const validation = () => import('./template-validation.js')
/** Rematching (the matching domain and its schemas), loaded on first use like validation. */
const rematching = () => import('./template-rematch.js')

/** A template's fixed YouTube publish_at override must be ahead when it is saved (publish-at.ts). */
const refusePastOverride = (doc: unknown, now: Date): void =>
  refusePastPublishAt(
    (doc as { metadata_config?: { youtube?: { publish_at?: unknown } | null } | null }).metadata_config?.youtube?.publish_at,
    now,
    'template',
    'metadata_config.youtube.publish_at',
  )

export function templatesService({ scopes, clock }: ServiceDeps) {
  const scope = (user: UserRef) => scopes.forUser(user.id)

  /** Validated, with the preset ids it adds checked (see checkedTemplate). */
  const checkedFor = async (user: UserRef, input: unknown, current?: Template): Promise<TemplateInput> =>
    (await validation()).checkedTemplate(scope(user), input, current)

  /** Names every reference to a preset or source that no longer exists, with the command that fixes it. */
  const withProblems = async (user: UserRef, t: Template): Promise<CheckedTemplate> => {
    const presets = await danglingPresetIds(scope(user), t)
    const sources = await danglingSourceIds(scope(user), t)
    const problems = [
      ...presets.map(
        (id) =>
          `preset ${id} no longer exists: recordings this template matches fail at upload; ` +
          `fix with \`recflow templates edit ${t.id} --preset ID\` (the list is replaced)`,
      ),
      ...sources.map(
        (id) => `source ${id} no longer exists: fix matching_rules.source_ids with \`recflow templates edit ${t.id} --source ID\``,
      ),
    ]
    return problems.length === 0 ? t : { ...t, problems }
  }

  const templates = ownedResource({ what: 'template', scope, repository: (s) => s.templates, references: { users: jobsUsingTemplate, detach: detachTemplate } })
  const get = templates.get

  return {
    get,

    /** One template, with its dangling references named. */
    show: async (user: UserRef, id: number): Promise<CheckedTemplate> => withProblems(user, await get(user, id)),

    list: (user: UserRef, opts: ListOptions & { includeDrafts?: boolean } = {}) =>
      scope(user).templates.list({ includeDrafts: opts.includeDrafts ?? true }, opts),

    /** With `rematch` (the API's auto_rematch), the unmapped recordings it now wins are bound to it at once. */
    async create(user: UserRef, input: unknown, opts: { rematch?: boolean } = {}): Promise<Template> {
      const checked = await checkedFor(user, input)
      refusePastOverride(checked, clock.now())
      const created = await templates.create(user, checked)
      if (!opts.rematch || created.is_draft || !created.is_active) return created
      const { applyTemplateRematch } = await rematching()
      await scope(user).transaction((tx) => applyTemplateRematch(tx, created, true, clock.now()))
      return (await scope(user).templates.get(created.id)) ?? created
    },

    async stats(user: UserRef, id: number): Promise<TemplateStats> {
      const template = await get(user, id)
      const rows = await scope(user).templates.recordingStats(id)
      const latest = rows.map((r) => r.last_updated_at).filter((t): t is string => t !== null).sort().at(-1) ?? null
      return {
        template: { id: template.id, name: template.name },
        total: rows.reduce((n, r) => n + r.count, 0),
        by_status: Object.fromEntries(rows.map((r) => [r.status, r.count])),
        failed: rows.reduce((n, r) => n + r.failed, 0),
        matched_count: template.used_count,
        last_matched_at: template.last_used_at,
        last_activity_at: latest,
      }
    },

    /** Which bindings a rematch would change (template-rematch.ts), without writing. */
    async previewRematch(user: UserRef, id: number, opts: { onlyUnmapped?: boolean } = {}): Promise<RematchResult> {
      const template = await get(user, id)
      return (await rematching()).previewTemplateRematch(scope(user), template, opts.onlyUnmapped ?? false)
    },

    /** Rebinds the recordings a fresh match gives to (or takes from) this template, in one transaction. */
    async rematch(user: UserRef, id: number, opts: { onlyUnmapped?: boolean } = {}): Promise<RematchResult> {
      const template = await get(user, id)
      const { applyTemplateRematch } = await rematching()
      return scope(user).transaction((tx) => applyTemplateRematch(tx, template, opts.onlyUnmapped ?? false, clock.now()))
    },

    async update(user: UserRef, id: number, patch: unknown): Promise<CheckedTemplate> {
      const { applyPatch, validateTemplatePatch } = await validation()
      const parsed = validateTemplatePatch(patch)
      // Only a publish_at this edit sets must be ahead: a stored one that has passed never blocks other edits.
      refusePastOverride(parsed, clock.now())
      const updated = await templates.update(user, id, (current) => checkedFor(user, applyPatch(toInput(current), parsed), current))
      return withProblems(user, updated)
    },

    /**
     * Its recordings stay, unmapped (one being processed then fails at UPLOAD: see publishTargets). Refused while an
     * automation job names it, unless `force`: then it is taken out of those jobs, and a job whose last template it
     * was is disabled.
     */
    remove: (user: UserRef, id: number, removal: { force?: boolean } = {}): Promise<{ id: number; removed: true; detached: Detached[] }> =>
      templates.remove(user, id, removal),

    /** A template that matches this recording's title exactly (or a given pattern), with its config override. */
    async fromRecording(user: UserRef, input: FromRecordingInput): Promise<Template> {
      const rec = await scope(user).recordings.get(input.recordingId)
      if (!rec) throw notFound('recording', input.recordingId, 'run `recflow recordings list` to see recording ids')
      const rules: Record<string, unknown> = input.matchPattern
        ? { patterns: [input.matchPattern] }
        : { exact_matches: [rec.display_name] }
      if (input.matchSourceId !== undefined) rules.source_ids = [input.matchSourceId]
      else if (rec.input_source_id !== null) rules.source_ids = [rec.input_source_id]
      return scope(user).templates.create(
        await checkedFor(user, {
          name: input.name,
          description: `Created from recording ${rec.id} (${rec.display_name})`,
          matching_rules: rules,
          processing_config: rec.processing_config_override ?? undefined,
        }),
      )
    },

    /** Which unmapped recordings this template would match now (no writes). */
    async preview(user: UserRef, id: number) {
      const { previewMatch, validateTemplateInput } = await validation()
      const template = await get(user, id)
      const unmapped = await listAll((page) => scope(user).recordings.list({ mapped: false }, page))
      const matches = previewMatch(unmapped, { id: template.id, matching_rules: validateTemplateInput(toInput(template)).matching_rules })
      return { template: { id: template.id, name: template.name }, considered: unmapped.length, matches }
    },
  }
}

export type TemplatesService = ReturnType<typeof templatesService>

import type { Source, UserScope } from '../db/index.js'
import { notFound } from '../domain/errors.js'
import { applyPatch, validateSourceInput, validateSourcePatch, type SourceInput, type SourcePlatform } from '../domain/resources/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { listAll, type ListOptions } from './paging.js'
import { ownedResource } from './owned-resource.js'
import { detachSource, sourceUsers } from './references.js'
import { checkLocalFolder } from './sync/local-folder-checks.js'

/** How a local folder is checked when a source is added or edited (see local-folder-checks.ts). */
export interface SourceWriteOptions {
  /** A folder that does not exist (yet) is a warning instead of an error. */
  allowMissing?: boolean
  onWarning?: (message: string) => void
}

function toInput(s: Source): Record<string, unknown> {
  return { name: s.name, platform: s.platform, credential_id: s.credential_id, config: s.config, is_active: s.is_active }
}

/** Every named source must exist before anything is synced. A number is an id first, then a name. */
export async function resolveSourceRefs(scope: UserScope, input: { sourceIds?: number[]; sources?: string[] }): Promise<Source[]> {
  const all = await listAll((page) => scope.sources.list({}, page))
  const byId = new Map(all.map((s) => [s.id, s]))
  const hint = 'run `recflow sources list` to see your sources'
  const picked = new Map<number, Source>()
  for (const id of input.sourceIds ?? []) {
    const s = byId.get(id)
    if (!s) throw notFound('source', id, hint)
    picked.set(s.id, s)
  }
  for (const ref of input.sources ?? []) {
    const s = (/^\d+$/.test(ref) ? byId.get(Number(ref)) : undefined) ?? all.find((x) => x.name === ref)
    if (!s) throw notFound('source', JSON.stringify(ref), hint)
    picked.set(s.id, s)
  }
  return [...picked.values()]
}

export function sourcesService({ scopes, env }: ServiceDeps) {
  const scope = (user: UserRef) => scopes.forUser(user.id)

  const sources = ownedResource({
    what: 'source',
    scope,
    repository: (s) => s.sources,
    references: { users: sourceUsers, detach: detachSource },
  })
  const get = sources.get

  /** A local source's folder: `~` expanded, there and readable, and no other source's files. */
  const checked = async (user: UserRef, input: SourceInput, self: number | undefined, opts: SourceWriteOptions): Promise<SourceInput> => {
    if (input.platform !== 'local') return input
    const others = (await listAll((page) => scope(user).sources.list({}, page))).filter((s) => s.id !== self)
    const { config, warnings } = await checkLocalFolder(input.config, { userHome: env.userHome, allowMissing: opts.allowMissing, others })
    for (const w of warnings) opts.onWarning?.(w)
    return { ...input, config }
  }

  return {
    get,

    list: (user: UserRef, opts: ListOptions & { activeOnly?: boolean } = {}) =>
      scope(user).sources.list({ activeOnly: opts.activeOnly }, opts),

    create: async (user: UserRef, input: unknown, opts: SourceWriteOptions = {}): Promise<Source> =>
      sources.create(user, await checked(user, validateSourceInput(input), undefined, opts)),

    update: (user: UserRef, id: number, patch: unknown, opts: SourceWriteOptions = {}): Promise<Source> =>
      sources.update(user, id, async (current) => {
        const parsed = validateSourcePatch(patch, current.platform as SourcePlatform)
        const merged = validateSourceInput(applyPatch(toInput(current), parsed))
        // The folder is checked when the edit touches the config, so renaming a source on an unmounted drive works.
        return parsed.config === undefined ? merged : checked(user, merged, id, opts)
      }),

    /** Source names or ids as typed on the command line -> ids; an unknown one is not_found. */
    resolveIds: async (user: UserRef, refs: string[]): Promise<number[]> =>
      (await resolveSourceRefs(scope(user), { sources: refs })).map((s) => s.id),

    /**
     * Refused while templates or recordings use the source, unless `force`: then its recordings stay (without a
     * source) and it is taken out of the templates' source_ids, a template losing its only source becoming a draft.
     */
    remove: sources.remove,
  }
}

export type SourcesService = ReturnType<typeof sourcesService>

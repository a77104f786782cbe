import { forUser, type Source, type UserScope } from '../db/index.js'
import { notFound } from '../domain/errors.js'
import { applyPatch, validateSourceInput, validateSourcePatch, type SourcePlatform } from '../domain/resources/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { listAll, type ListOptions } from './paging.js'
import { detachSource, refuseInUse, sourceUsers, type DetachedTemplate } from './references.js'

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

export function sourcesService({ database }: ServiceDeps) {
  const scope = (user: UserRef) => forUser(database.db, user.id)

  const get = async (user: UserRef, id: number): Promise<Source> => {
    const s = await scope(user).sources.get(id)
    if (!s) throw notFound('source', id, 'run `recflow sources list` to see your sources')
    return s
  }

  return {
    get,

    list: (user: UserRef, opts: ListOptions & { activeOnly?: boolean } = {}) =>
      scope(user).sources.list({ activeOnly: opts.activeOnly }, opts),

    create: async (user: UserRef, input: unknown): Promise<Source> => scope(user).sources.create(validateSourceInput(input)),

    async update(user: UserRef, id: number, patch: unknown): Promise<Source> {
      const current = await get(user, id)
      const parsed = validateSourcePatch(patch, current.platform as SourcePlatform)
      const merged = validateSourceInput(applyPatch(toInput(current), parsed))
      const updated = await scope(user).sources.update(id, merged)
      if (!updated) throw notFound('source', id)
      return updated
    },

    /** Source names or ids as typed on the command line -> ids; an unknown one is not_found. */
    resolveIds: async (user: UserRef, refs: string[]): Promise<number[]> =>
      (await resolveSourceRefs(scope(user), { sources: refs })).map((s) => s.id),

    /**
     * Refused while templates or recordings use the source, unless `force`: then its recordings stay (without a
     * source) and it is taken out of the templates' source_ids, a template losing its only source becoming a draft.
     */
    async remove(user: UserRef, id: number, opts: { force?: boolean } = {}): Promise<{ id: number; removed: true; detached: DetachedTemplate[] }> {
      return scope(user).transaction(async (tx) => {
        if (!(await tx.sources.get(id))) throw notFound('source', id, 'run `recflow sources list` to see your sources')
        const users = await sourceUsers(tx, id)
        if (users.length > 0 && !opts.force) refuseInUse('source', id, users, 'sources remove')
        const detached = await detachSource(tx, id, users)
        if (!(await tx.sources.remove(id))) throw notFound('source', id)
        return { id, removed: true as const, detached }
      })
    },
  }
}

export type SourcesService = ReturnType<typeof sourcesService>

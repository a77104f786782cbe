import type { UserScope } from '../db/index.js'
import { notFound } from '../domain/errors.js'
import type { UserRef } from './context.js'
import { refuseInUse, type Detached, type ReferenceUser } from './references.js'

/** The repository calls the presets, sources and templates services share. */
interface OwnedRepository<Row, Input> {
  get(id: number): Promise<Row | undefined>
  create(input: Input): Promise<Row>
  update(id: number, input: Input): Promise<Row | undefined>
  remove(id: number): Promise<boolean>
}

/** What a removal checks first: who still uses the row, and how a forced removal takes it out of them. */
export interface RemovalReferences {
  users(tx: UserScope, id: number): Promise<ReferenceUser[]>
  detach(tx: UserScope, id: number, users: ReferenceUser[]): Promise<Detached[]>
}

/**
 * get / create / update / remove of one kind of owned resource, the same for presets, sources and templates:
 * a missing id is not_found with the hint naming the list command; an update reads the current row and writes
 * what `merge` builds from it; a removal runs in one transaction and is refused while the row is in use, unless
 * forced.
 */
export function ownedResource<Row, Input>(opts: {
  what: 'preset' | 'source' | 'template'
  scope: (user: UserRef) => UserScope
  repository: (scope: UserScope) => OwnedRepository<Row, Input>
  references?: RemovalReferences
}) {
  const { what } = opts
  const topic = `${what}s`
  const hint = `run \`recflow ${topic} list\` to see your ${topic}`
  const repo = (user: UserRef) => opts.repository(opts.scope(user))

  const get = async (user: UserRef, id: number): Promise<Row> => {
    const row = await repo(user).get(id)
    if (!row) throw notFound(what, id, hint)
    return row
  }

  return {
    get,

    create: (user: UserRef, input: Input): Promise<Row> => repo(user).create(input),

    async update(user: UserRef, id: number, merge: (current: Row) => Input | Promise<Input>): Promise<Row> {
      const current = await get(user, id)
      const updated = await repo(user).update(id, await merge(current))
      if (!updated) throw notFound(what, id, hint)
      return updated
    },

    remove(user: UserRef, id: number, removal: { force?: boolean } = {}): Promise<{ id: number; removed: true; detached: Detached[] }> {
      return opts.scope(user).transaction(async (tx) => {
        const rows = opts.repository(tx)
        if (!(await rows.get(id))) throw notFound(what, id, hint)
        const users = opts.references ? await opts.references.users(tx, id) : []
        if (users.length > 0 && !removal.force) refuseInUse(what, id, users, `${topic} remove`)
        const detached = opts.references ? await opts.references.detach(tx, id, users) : []
        if (!(await rows.remove(id))) throw notFound(what, id, hint)
        return { id, removed: true as const, detached }
      })
    },
  }
}

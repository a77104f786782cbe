import { boundedMap } from '../domain/bounded-map.js'
import type { DatabaseChanges } from './context.js'

/** Values read from the database and answered from memory while the database is unchanged. */
export interface ReadCache<K, V> {
  /** The value kept for `key` if nothing was written anywhere since it was read; else `read()`, kept. */
  get(key: K, read: () => Promise<V>): Promise<V>
}

/**
 * A read-through cache checked against the database's change stamp (Database.changeStamp: a commit by any
 * process, or a row changed by this one, makes every kept value stale). The stamp is taken before the read, so a
 * write racing the read leaves the value kept under the older stamp: it is read again next time, never served
 * stale. At most `max` keys are kept (least recently used forgotten).
 */
export function readCache<K, V>(changes: DatabaseChanges, max: number): ReadCache<K, V> {
  const kept = boundedMap<K, { stamp: string; value: V }>(max)
  return {
    async get(key, read) {
      const stamp = changes.changeStamp()
      const hit = kept.get(key)
      if (stamp !== undefined && hit !== undefined && hit.stamp === stamp) return hit.value
      const value = await read()
      if (stamp !== undefined) kept.set(key, { stamp, value })
      return value
    },
  }
}

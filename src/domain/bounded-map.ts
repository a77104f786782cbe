/**
 * A Map that keeps at most `max` entries and forgets the least recently used one beyond that (a read or a write
 * makes an entry the most recent). The in-memory caches (prepared statements, verified tokens, user scopes,
 * recordings pages) share it.
 */
export interface BoundedMap<K, V> {
  get(key: K): V | undefined
  set(key: K, value: V): void
  clear(): void
  readonly size: number
}

export function boundedMap<K, V>(max: number): BoundedMap<K, V> {
  const map = new Map<K, V>()
  return {
    get(key) {
      const value = map.get(key)
      if (value !== undefined) {
        map.delete(key)
        map.set(key, value)
      }
      return value
    },
    set(key, value) {
      map.delete(key)
      map.set(key, value)
      if (map.size > max) map.delete(map.keys().next().value as K)
    },
    clear: () => map.clear(),
    get size() {
      return map.size
    },
  }
}

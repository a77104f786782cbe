export type PlainObject = Record<string, unknown>

export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/**
 * The config layering rule, in one place: `override` wins key by key; plain objects merge recursively, arrays
 * and every other value replace, and `null` or `undefined` in `override` means "inherit" (the base value stays).
 * Returns new objects (neither argument is changed) built with Object.fromEntries, so a JSON key such as
 * "__proto__" stays an ordinary key instead of changing a prototype.
 */
export function deepMerge<T extends PlainObject>(base: T, override: PlainObject | null | undefined): T {
  return mergeValues(base, override) as T
}

function mergeValues(base: unknown, override: unknown): unknown {
  if (override === null || override === undefined) return copy(base)
  if (isPlainObject(override)) {
    // An object over a non-object replaces it, but still drops its own nulls: there is nothing to inherit.
    const from = isPlainObject(base) ? base : {}
    const keys = new Set([...Object.keys(from), ...Object.keys(override)])
    const entries = [...keys].map((k): [string, unknown] => [k, mergeValues(from[k], override[k])])
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined))
  }
  return copy(override)
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy)
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]))
  return value
}

/**
 * A JSON merge patch (RFC 7396) on a stored layer: plain objects merge recursively, `null` removes the key (the
 * layer below shows through again), every other value replaces; an object left empty is dropped. PATCH
 * /users/me/config applies it. Built from entries like deepMerge, so "__proto__" stays an ordinary key.
 */
export function mergePatch(target: PlainObject, patch: PlainObject): PlainObject {
  const out = new Map(Object.entries(target).map(([k, v]): [string, unknown] => [k, copy(v)]))
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) out.delete(key)
    else if (isPlainObject(value)) {
      const before = out.get(key)
      const merged = mergePatch(isPlainObject(before) ? before : {}, value)
      if (Object.keys(merged).length === 0) out.delete(key)
      else out.set(key, merged)
    } else out.set(key, copy(value))
  }
  return Object.fromEntries(out)
}

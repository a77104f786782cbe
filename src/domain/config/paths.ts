import { usageError } from '../errors.js'
import { isPlainObject, type PlainObject } from './merge.js'

/** Splits 'processing.padding_before' into its keys; an empty path or an empty segment is a usage error. */
export function splitPath(path: string): string[] {
  const keys = path.split('.')
  if (path.trim() === '' || keys.some((k) => k.trim() === '')) {
    throw usageError(`invalid config path ${JSON.stringify(path)}`, 'write paths as dotted keys, e.g. processing.padding_before')
  }
  return keys
}

/** The value at a dotted path, or undefined when any key on the way is missing. Own keys only. */
export function getAtPath(obj: unknown, path: string): unknown {
  let current: unknown = obj
  for (const key of splitPath(path)) {
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined
    current = current[key]
  }
  return current
}

/**
 * A copy of `obj` with `value` at `path`; missing objects on the way are created. Only the objects along the
 * path are copied, the rest is shared, and `obj` itself is never changed.
 */
export function setAtPath(obj: PlainObject | null | undefined, path: string, value: unknown): PlainObject {
  return setKeys(obj ?? {}, splitPath(path), value, path)
}

function setKeys(obj: PlainObject, keys: string[], value: unknown, path: string): PlainObject {
  const [key, ...rest] = keys
  if (key === undefined) return obj
  if (rest.length === 0) return withKey(obj, key, value)
  const child = Object.hasOwn(obj, key) ? obj[key] : undefined
  if (child !== undefined && child !== null && !isPlainObject(child)) {
    const parent = path.split('.').slice(0, -rest.length).join('.')
    throw usageError(`cannot set ${path}: ${parent} is not an object`)
  }
  return withKey(obj, key, setKeys(child ?? {}, rest, value, path))
}

/**
 * A copy of `obj` without the key at `path`. Objects left empty by the removal are removed too, so unsetting
 * the last override of a section leaves no `{}` behind. A missing path returns an unchanged copy.
 */
export function unsetAtPath(obj: PlainObject | null | undefined, path: string): PlainObject {
  return unsetKeys(obj ?? {}, splitPath(path)) ?? {}
}

function unsetKeys(obj: PlainObject, keys: string[]): PlainObject | undefined {
  const [key, ...rest] = keys
  if (key === undefined || !Object.hasOwn(obj, key)) return { ...obj }
  if (rest.length === 0) return withoutKey(obj, key)
  const child = obj[key]
  if (!isPlainObject(child)) return { ...obj }
  const next = unsetKeys(child, rest)
  return next === undefined || Object.keys(next).length === 0 ? withoutKey(obj, key) : withKey(obj, key, next)
}

// Keeps the key order, so a config file written back after `config set` differs only where it changed.
function withKey(obj: PlainObject, key: string, value: unknown): PlainObject {
  const entries = Object.entries(obj)
  if (!Object.hasOwn(obj, key)) return Object.fromEntries([...entries, [key, value]])
  return Object.fromEntries(entries.map(([k, v]) => [k, k === key ? value : v]))
}

function withoutKey(obj: PlainObject, key: string): PlainObject | undefined {
  const rest = Object.entries(obj).filter(([k]) => k !== key)
  return rest.length === 0 ? undefined : Object.fromEntries(rest)
}

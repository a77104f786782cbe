import type { UserScope } from '../db/index.js'
import {
  configPathInfo,
  getAtPath,
  isPlainObject,
  listConfigPaths,
  parseConfigValue,
  resolveConfig,
  setAtPath,
  unsetAtPath,
  validatePartialConfig,
  type ConfigLayerName,
  type PartialConfig,
  type PlainObject,
} from '../domain/config/index.js'
import { assertConfigPresets, assertConfigTemplates } from './config-checks.js'
import type { ServiceDeps, UserRef } from './context.js'
import { isRecflowError, RecflowError } from '../domain/errors.js'

const BROKEN_LAYER_HINT =
  'your stored config has a bad value: remove it with `recflow config unset KEY` (the key named above), or drop your whole layer with `recflow config reset`'

/** Whether `path` ("processing.zzz") is set in a stored layer, known to the schema or not. */
function hasPath(obj: PlainObject, path: string): boolean {
  let at: unknown = obj
  for (const key of path.split('.')) {
    if (!isPlainObject(at) || !Object.hasOwn(at, key)) return false
    at = at[key]
  }
  return true
}

export interface ConfigValue {
  path: string
  value: unknown
  source: ConfigLayerName | null
}

/** The user's layer of the config cascade: show, get, set, unset, reset; every write is validated first. */
export function userConfigService({ scopes }: ServiceDeps) {
  const scope = (user: UserRef) => scopes.forUser(user.id)

  const storedIn = async (s: UserScope): Promise<PlainObject> => {
    const row = await s.configs.get()
    return isPlainObject(row?.config) ? row.config : {}
  }
  const stored = (user: UserRef) => storedIn(scope(user))

  const resolve = async (user: UserRef) => {
    const layer = await stored(user)
    try {
      return resolveConfig([{ name: 'user', config: layer as PartialConfig }])
    } catch (e) {
      // A layer stored by an older recflow (or edited by hand) that no longer validates: say how to repair it.
      if (!isRecflowError(e) || e.code !== 'validation') throw e
      throw new RecflowError('validation', e.message, { hint: BROKEN_LAYER_HINT, details: e.details, cause: e })
    }
  }

  /** Read, change, validate and write in one (immediate) transaction, so concurrent sets never lose a value. */
  const update = (user: UserRef, change: (current: PlainObject) => PlainObject) =>
    scope(user).transaction(async (tx) => {
      const current = await storedIn(tx)
      const checked = validatePartialConfig(change(current), 'user config')
      assertConfigTemplates(checked, '')
      await assertConfigPresets(tx, checked, current as PartialConfig)
      // The cascade must still resolve: a value can be well-typed alone and wrong once merged.
      resolveConfig([{ name: 'user', config: checked }])
      await tx.configs.set(checked)
    })

  return {
    /** The effective config (defaults < user), optionally with the layer each value came from. */
    async show(user: UserRef, opts: { layers?: boolean } = {}) {
      const { config, sources } = await resolve(user)
      return opts.layers ? { config, sources, stored: await stored(user) } : { config }
    },

    async get(user: UserRef, path: string): Promise<ConfigValue> {
      configPathInfo(path) // unknown paths are a usage error, not `undefined`
      const { config, sources } = await resolve(user)
      return { path, value: getAtPath(config, path) ?? null, source: sources[path] ?? null }
    },

    async set(user: UserRef, path: string, raw: string): Promise<ConfigValue> {
      const value = parseConfigValue(path, raw)
      await update(user, (current) => setAtPath(current, path, value))
      return this.get(user, path)
    },

    async unset(user: UserRef, path: string): Promise<ConfigValue> {
      const removed = await scope(user).transaction(async (tx) => {
        const current = await storedIn(tx)
        if (!hasPath(current, path)) return false
        // Removing a stored value never adds a problem, so it is allowed on a layer that does not validate (an
        // unknown or out-of-range key is exactly what a user unsets to repair it).
        await tx.configs.set(unsetAtPath(current, path) as PartialConfig)
        return true
      })
      if (!removed) configPathInfo(path) // unknown paths are a usage error; a known one not set is a no-op
      try {
        return await this.get(user, path)
      } catch (e) {
        if (isRecflowError(e) && (e.code === 'validation' || e.code === 'usage')) return { path, value: null, source: null }
        throw e
      }
    },

    async reset(user: UserRef) {
      await scope(user).configs.set({})
      return this.show(user)
    },

    paths: () => listConfigPaths(),
  }
}

export type UserConfigService = ReturnType<typeof userConfigService>

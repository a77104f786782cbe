import type { UserScope } from '../db/index.js'
import type { ConfigLayerName, PartialConfig, PlainObject } from '../domain/config/index.js'
import { defaultValueAt } from '../domain/config/default-values.js'
import { BROKEN_USER_CONFIG_HINT } from '../domain/config/repair-hint.js'
import { isPlainObject } from '../domain/config/merge.js'
import { getAtPath, unsetAtPath } from '../domain/config/paths.js'
import type { ServiceDeps, UserRef } from './context.js'
import { isRecflowError, RecflowError } from '../domain/errors.js'


/**
 * The schemas, the resolver and the checks, loaded the first time something needs validating: `config get` of a
 * key on a home whose user layer is empty answers from the plain defaults table without building any zod schema.
 */
const configDomain = () => import('../domain/config/index.js')
const configChecks = () => import('./config-checks.js')

export interface ConfigValue {
  path: string
  value: unknown
  source: ConfigLayerName | null
}

/** The user's layer of the config cascade: show, get, set, unset, reset; every write is validated first. */
export function userConfigService({ scopes }: Pick<ServiceDeps, 'scopes'>) {
  const scope = (user: UserRef) => scopes.forUser(user.id)

  const storedIn = async (s: UserScope): Promise<PlainObject> => {
    const row = await s.configs.get()
    return isPlainObject(row?.config) ? row.config : {}
  }
  const stored = (user: UserRef) => storedIn(scope(user))

  /** Resolves the cascade; a malformed stored layer fails here with its name, the offending path and the repair. */
  const resolveLayer = async (layer: PlainObject) => {
    const { resolveConfig } = await configDomain()
    try {
      return resolveConfig([{ name: 'user', config: layer as PartialConfig }])
    } catch (e) {
      // A layer stored by an older recflow (or edited by hand) that no longer validates: say how to repair it.
      if (!isRecflowError(e) || e.code !== 'validation') throw e
      throw new RecflowError('validation', e.message, { hint: BROKEN_USER_CONFIG_HINT, details: e.details, cause: e })
    }
  }
  const resolve = async (user: UserRef) => resolveLayer(await stored(user))

  /** Read, change, validate and write in one (immediate) transaction, so concurrent sets never lose a value. */
  const update = async (user: UserRef, change: (current: PlainObject) => PlainObject) => {
    const [{ resolveConfig, validatePartialConfig }, { assertConfigCredentials, assertConfigPresets, assertConfigTemplates }] = await Promise.all([
      configDomain(),
      configChecks(),
    ])
    const isValidLayer = (layer: PlainObject) => {
      try {
        validatePartialConfig(layer, 'user config')
        return true
      } catch {
        return false
      }
    }
    return scope(user).transaction(async (tx) => {
      const current = await storedIn(tx)
      let checked: PartialConfig
      try {
        checked = validatePartialConfig(change(current), 'user config')
      } catch (e) {
        // A bad value this write leaves in place (`config set` of another key on a broken layer): say how to repair it.
        if (!isRecflowError(e) || e.code !== 'validation' || isValidLayer(current)) throw e
        throw new RecflowError('validation', e.message, { hint: BROKEN_USER_CONFIG_HINT, details: e.details, cause: e })
      }
      assertConfigTemplates(checked, '')
      await assertConfigPresets(tx, checked, current as PartialConfig)
      await assertConfigCredentials(tx, checked, current as PartialConfig)
      // The cascade must still resolve: a value can be well-typed alone and wrong once merged.
      resolveConfig([{ name: 'user', config: checked }])
      await tx.configs.set(checked)
    })
  }

  return {
    /** The effective config (defaults < user), optionally with the layer each value came from. */
    async show(user: UserRef, opts: { layers?: boolean } = {}) {
      const { config, sources } = await resolve(user)
      return opts.layers ? { config, sources, stored: await stored(user) } : { config }
    },

    /** The effective config, the layer each value came from and the stored layer (GET /users/me/config). */
    async layers(user: UserRef) {
      const layer = await stored(user)
      const { config, sources } = await resolveLayer(layer)
      return { config, sources, stored: layer }
    },

    async get(user: UserRef, path: string): Promise<ConfigValue> {
      const layer = await stored(user)
      // Nothing stored means nothing to validate: a known leaf is its default.
      const known = Object.keys(layer).length === 0 ? defaultValueAt(path) : undefined
      if (known) return { path, value: known.value ?? null, source: 'default' }
      const { configPathInfo } = await configDomain()
      configPathInfo(path) // unknown paths are a usage error, not `undefined`
      const { config, sources } = await resolveLayer(layer)
      return { path, value: getAtPath(config, path) ?? null, source: sources[path] ?? null }
    },

    async set(user: UserRef, path: string, raw: string): Promise<ConfigValue> {
      const { parseConfigValue, setAtPath } = await configDomain()
      const value = parseConfigValue(path, raw)
      await update(user, (current) => setAtPath(current, path, value))
      return this.get(user, path)
    },

    async unset(user: UserRef, path: string): Promise<ConfigValue> {
      const removed = await scope(user).transaction(async (tx) => {
        const current = await storedIn(tx)
        // Stored JSON holds no undefined: undefined means the path is not set (a malformed path is a usage error).
        if (getAtPath(current, path) === undefined) return false
        // Removing a stored value never adds a problem, so it is allowed on a layer that does not validate (an
        // unknown or out-of-range key is exactly what a user unsets to repair it).
        await tx.configs.set(unsetAtPath(current, path) as PartialConfig)
        return true
      })
      if (!removed) (await configDomain()).configPathInfo(path) // unknown paths are a usage error; a known one not set is a no-op
      try {
        return await this.get(user, path)
      } catch (e) {
        if (isRecflowError(e) && (e.code === 'validation' || e.code === 'usage')) return { path, value: null, source: null }
        throw e
      }
    },

    /**
     * PATCH /users/me/config: a JSON merge patch on the stored layer (objects merge, `null` removes a key), then
     * validated like `set`. A refusal names each offending field in details.fields.
     */
    async patch(user: UserRef, patch: PlainObject) {
      const { mergePatch } = await configDomain()
      try {
        await update(user, (current) => mergePatch(current, patch))
      } catch (e) {
        if (!isRecflowError(e) || e.code !== 'validation' || !Array.isArray(e.details)) throw e
        const fields = (e.details as Array<{ path?: PropertyKey[]; message?: string }>).map((i) => ({ path: (i.path ?? []).map(String).join('.'), message: i.message ?? 'invalid' }))
        throw new RecflowError('validation', e.message, { hint: e.hint, details: { fields }, cause: e })
      }
      return this.layers(user)
    },

    async reset(user: UserRef) {
      await scope(user).configs.set({})
      return this.show(user)
    },

    paths: async () => (await configDomain()).listConfigPaths(),
  }
}

export type UserConfigService = ReturnType<typeof userConfigService>

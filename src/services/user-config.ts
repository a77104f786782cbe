import { forUser } from '../db/index.js'
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
import type { ServiceDeps, UserRef } from './context.js'

export interface ConfigValue {
  path: string
  value: unknown
  source: ConfigLayerName | null
}

/** The user's layer of the config cascade: show, get, set, unset, reset; every write is validated first. */
export function userConfigService({ database }: ServiceDeps) {
  const scope = (user: UserRef) => forUser(database.db, user.id)

  const stored = async (user: UserRef): Promise<PlainObject> => {
    const row = await scope(user).configs.get()
    return isPlainObject(row?.config) ? row.config : {}
  }

  const resolve = async (user: UserRef) =>
    resolveConfig([{ name: 'user', config: (await stored(user)) as PartialConfig }])

  const save = async (user: UserRef, next: PlainObject) => {
    const checked = validatePartialConfig(next, 'user config')
    // The cascade must still resolve: a value can be well-typed alone and wrong once merged.
    resolveConfig([{ name: 'user', config: checked }])
    await scope(user).configs.set(checked)
  }

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
      await save(user, setAtPath(await stored(user), path, value))
      return this.get(user, path)
    },

    async unset(user: UserRef, path: string): Promise<ConfigValue> {
      configPathInfo(path)
      await save(user, unsetAtPath(await stored(user), path))
      return this.get(user, path)
    },

    async reset(user: UserRef) {
      await scope(user).configs.set({})
      return this.show(user)
    },

    paths: () => listConfigPaths(),
  }
}

export type UserConfigService = ReturnType<typeof userConfigService>

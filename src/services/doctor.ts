import fs from 'node:fs'
import { isRecflowError, type RecflowError } from '../domain/errors.js'
import type { KeyringStatus } from '../platform/credential-keys.js'
import type { CredentialKeysPort, DatabaseHealth, ServiceDeps, UserRef } from './context.js'

export interface DoctorCheck {
  name: string
  ok: boolean
  detail: string
  hint?: string
}

/**
 * What doctor is built from: the services' deps, where the database may be missing because it could not be
 * opened (a corrupt or foreign file); then the database check fails with `databaseError` and the others still run.
 */
export type DoctorDeps = Omit<ServiceDeps, 'scopes' | 'queue' | 'databaseHealth' | 'databaseChanges'> &
  (
    | { databaseHealth: DatabaseHealth; databaseError?: undefined; scopes?: ServiceDeps['scopes'] }
    | { databaseHealth?: undefined; databaseError: RecflowError; scopes?: undefined }
  )

/** What `recflow doctor` reports: media tools, database, secret store, paths. Never prints a secret. */
export function doctorService(deps: DoctorDeps) {
  const { databaseHealth, databaseError, env, media, secrets, credentialKeys } = deps
  return {
    /** `user`: whose stored config layer to check as well (the CLI's local user). */
    async run(user?: UserRef) {
      const checks: DoctorCheck[] = []
      let mediaReport: Awaited<ReturnType<typeof media.report>> | null = null
      try {
        mediaReport = await media.report()
        for (const [name, tool] of Object.entries(mediaReport.tools)) {
          checks.push({ name, ok: true, detail: `${tool.version} (${tool.source}: ${tool.path})` })
        }
        const missing = [
          ...Object.entries(mediaReport.capabilities.encoders).filter(([, ok]) => !ok).map(([n]) => `encoder ${n}`),
          ...Object.entries(mediaReport.capabilities.filters).filter(([, ok]) => !ok).map(([n]) => `filter ${n}`),
        ]
        checks.push({
          name: 'ffmpeg capabilities',
          ok: missing.length === 0,
          detail: missing.length === 0 ? 'all encoders and filters recflow uses are present' : `missing: ${missing.join(', ')}`,
          hint: missing.length === 0 ? undefined : 'install a full ffmpeg build (e.g. `apt install ffmpeg`) and put it on PATH',
        })
      } catch (e) {
        checks.push({
          name: 'ffmpeg and ffprobe',
          ok: false,
          detail: (e as Error).message,
          // The media layer knows why (e.g. a configured path that does not run); fall back to the generic advice.
          hint:
            (isRecflowError(e) ? e.hint : undefined) ??
            'install ffmpeg (e.g. `apt install ffmpeg` or `brew install ffmpeg`), or reinstall recflow to get the bundled one',
        })
      }

      if (databaseHealth) checks.push(databaseCheck(databaseHealth, env.dbPath))
      else checks.push({ name: 'database', ok: false, detail: databaseError.message, hint: databaseError.hint })

      let secretStore: { kind: string; description: string; modes?: Record<string, string> } | null = null
      try {
        const store = await secrets()
        const health = await store.health()
        secretStore = { kind: store.kind, description: store.description, modes: health.modes }
        checks.push({
          name: 'secret store',
          ok: health.ok,
          detail: health.detail,
          hint: health.hint ?? (store.kind === 'encrypted-file' ? 'no OS keychain is usable here; secrets are kept in an encrypted file' : undefined),
        })
      } catch (e) {
        checks.push({ name: 'secret store', ok: false, detail: (e as Error).message })
      }

      const keys = await credentialKeysCheck(credentialKeys)
      if (keys) checks.push(keys)

      if (user && deps.scopes) checks.push(await storedConfigCheck(deps.scopes, user))

      return {
        ok: checks.every((c) => c.ok),
        checks,
        media: mediaReport,
        database: { path: env.dbPath, schemaVersion: databaseHealth?.schemaVersion ?? null },
        secretStore,
        paths: { config: env.configDir, data: env.dataDir, media: env.mediaDir },
        node: process.version,
      }
    },
  }
}

/**
 * The user's stored config layer still validates and resolves (an older recflow, or a hand edit, can leave a value
 * every run would then refuse); a bad one names the key and the commands that repair it.
 */
async function storedConfigCheck(scopes: ServiceDeps['scopes'], user: UserRef): Promise<DoctorCheck> {
  const { userConfigService } = await import('./user-config.js')
  try {
    const { stored } = await userConfigService({ scopes }).layers(user)
    const keys = Object.keys(stored).length
    return { name: 'config', ok: true, detail: keys === 0 ? 'defaults only (nothing stored)' : 'your stored settings are valid' }
  } catch (e) {
    return { name: 'config', ok: false, detail: (e as Error).message, hint: isRecflowError(e) ? e.hint : undefined }
  }
}

/**
 * Daemon mode's credential key file (the keys that seal secrets into their rows): readable, whole, and reachable by
 * nobody else. Left out where daemon mode is off and there is no such file.
 */
async function credentialKeysCheck(port: CredentialKeysPort | undefined): Promise<DoctorCheck | undefined> {
  if (!port) return undefined
  const name = 'credential keys'
  let status: KeyringStatus
  try {
    status = (await port.keyring()).status()
  } catch (e) {
    return { name, ok: false, detail: (e as Error).message, hint: isRecflowError(e) ? e.hint : undefined }
  }
  if (status.mode === null) {
    return port.sealNewSecrets ? { name, ok: true, detail: `${status.file}: no key yet (the first sealed secret or \`recflow daemon start\` makes it)` } : undefined
  }
  const detail = `${status.file} (${status.keys.length} key${status.keys.length === 1 ? '' : 's'}, current ${status.current}, mode ${status.mode})`
  if ((Number.parseInt(status.mode, 8) & 0o077) === 0) return { name, ok: true, detail }
  return { name, ok: false, detail: `${status.file} has mode ${status.mode}: others than you can reach it (${detail})`, hint: `chmod 600 ${status.file}` }
}

/** Schema version, PRAGMA integrity_check, and the file's real mode. */
function databaseCheck(health: DatabaseHealth, file: string): DoctorCheck {
  let mode = ''
  try {
    mode = `, mode 0${(fs.statSync(file).mode & 0o777).toString(8).padStart(3, '0')}`
  } catch {
    // an in-memory database, or the file vanished: the integrity check says the rest
  }
  const detail = `${file} (schema ${health.schemaVersion}${mode})`
  let problems: string[]
  try {
    problems = health.integrityProblems()
  } catch (e) {
    problems = [(e as Error).message]
  }
  if (problems.length === 0) return { name: 'database', ok: true, detail: `${detail}, integrity ok` }
  return {
    name: 'database',
    ok: false,
    detail: `${detail} fails the integrity check: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; … (${problems.length} problems)` : ''}`,
    hint: `restore ${file} from a backup, or try \`sqlite3 ${file} .recover\` into a new file and point RECFLOW_DB at it`,
  }
}

export type DoctorService = ReturnType<typeof doctorService>

import os from 'node:os'
import path from 'node:path'
import { usageError } from '../domain/errors.js'

/**
 * The only module that reads process.env. Everything else receives a RuntimeEnv built here, so tests and the
 * daemon can construct one from any environment object.
 */
export interface ServiceUrls {
  zoomApi: string
  zoomOauth: string
  googleAuth: string
  googleToken: string
  youtubeApi: string
  vkApi: string
  vkId: string
  vkOauth: string
  /** undefined: each Fireworks model's own host (API-CONTRACTS.md §D.1). */
  fireworksAudio: string | undefined
  fireworksBatch: string
  transcribe: string | undefined
  llm: string
}

/**
 * Where secrets go. auto/keychain/file: the CLI's stores. database (what the daemon runs with): credentials
 * are sealed into their database rows with the credential keyring (src/platform/credential-keys.ts), and the
 * process's other secrets (signing secret, download tokens) go to the encrypted file.
 */
export type SecretStorePreference = 'auto' | 'keychain' | 'file' | 'database'

export interface RuntimeEnv {
  /** RECFLOW_HOME when set (tests always set it), else undefined and XDG dirs are used. */
  home: string | undefined
  /** The user's home folder (HOME, else the OS's idea of it): what `~` means in paths the user types. */
  userHome: string
  configDir: string
  dataDir: string
  dbPath: string
  mediaDir: string
  secretStore: SecretStorePreference
  urls: ServiceUrls
  /** PATH as seen by this process, for locating ffmpeg/ffprobe. */
  pathEnv: string
  /** Explicit ffmpeg/ffprobe binaries (RECFLOW_FFMPEG_PATH, RECFLOW_FFPROBE_PATH); they win over PATH. */
  mediaTools: { ffmpeg?: string; ffprobe?: string }
  isCi: boolean
  noColor: boolean
  /** BROWSER: the command a sign-in opens its URL with (else the platform's opener). */
  browser: string | undefined
  logLevel: 'error' | 'warn' | 'info' | 'debug'
  platform: NodeJS.Platform
  /** The daemon's sign-in for web clients (/oauth/{platform}/authorize and /callback). */
  webOAuth: WebOAuthEnv
  /**
   * log2 of the scrypt cost N for new password hashes (RECFLOW_SCRYPT_LOG_N, 10-20, default 15). Stored hashes
   * carry their own parameters, so changing it affects only passwords set afterwards. Tests lower it.
   */
  scryptLogN: number
}

type Env = Record<string, string | undefined>

const DEFAULT_URLS: ServiceUrls = {
  zoomApi: 'https://api.zoom.us/v2',
  zoomOauth: 'https://zoom.us',
  googleAuth: 'https://accounts.google.com/o/oauth2/v2/auth',
  googleToken: 'https://oauth2.googleapis.com/token',
  youtubeApi: 'https://www.googleapis.com',
  vkApi: 'https://api.vk.com/method',
  vkId: 'https://id.vk.com',
  vkOauth: 'https://oauth.vk.com',
  fireworksAudio: undefined,
  fireworksBatch: 'https://audio-batch.api.fireworks.ai',
  transcribe: undefined,
  llm: 'https://api.deepseek.com',
}

const URL_VARS: Record<keyof ServiceUrls, string> = {
  zoomApi: 'RECFLOW_ZOOM_API_URL',
  zoomOauth: 'RECFLOW_ZOOM_OAUTH_URL',
  googleAuth: 'RECFLOW_GOOGLE_AUTH_URL',
  googleToken: 'RECFLOW_GOOGLE_TOKEN_URL',
  youtubeApi: 'RECFLOW_YOUTUBE_API_URL',
  vkApi: 'RECFLOW_VK_API_URL',
  vkId: 'RECFLOW_VK_ID_URL',
  vkOauth: 'RECFLOW_VK_OAUTH_URL',
  fireworksAudio: 'RECFLOW_FIREWORKS_AUDIO_URL',
  fireworksBatch: 'RECFLOW_FIREWORKS_BATCH_URL',
  transcribe: 'RECFLOW_TRANSCRIBE_URL',
  llm: 'RECFLOW_LLM_URL',
}

export const ENV_VARS = {
  home: 'RECFLOW_HOME',
  db: 'RECFLOW_DB',
  mediaDir: 'RECFLOW_MEDIA_DIR',
  secretStore: 'RECFLOW_SECRET_STORE',
  logLevel: 'RECFLOW_LOG_LEVEL',
  ffmpeg: 'RECFLOW_FFMPEG_PATH',
  ffprobe: 'RECFLOW_FFPROBE_PATH',
  scryptLogN: 'RECFLOW_SCRYPT_LOG_N',
  ...URL_VARS,
} as const

const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v.trim() : undefined)
const stripSlash = (u: string) => u.replace(/\/+$/, '')

export function resolveServiceUrls(env: Env): ServiceUrls {
  const urls = { ...DEFAULT_URLS }
  for (const key of Object.keys(URL_VARS) as Array<keyof ServiceUrls>) {
    const value = nonEmpty(env[URL_VARS[key]])
    if (value !== undefined) urls[key] = stripSlash(value)
  }
  return urls
}

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const
const SECRET_STORES = ['auto', 'keychain', 'file', 'database'] as const

/** An enumerated variable: a value it does not know is a mistake to point out, not one to ignore silently. */
function oneOf(name: string, value: string, allowed: readonly string[]): string {
  if (allowed.includes(value)) return value
  throw usageError(`${name} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, not "${value}"`, `set ${name} to one of them, or unset it`)
}

export const DEFAULT_SCRYPT_LOG_N = 15

function scryptLogN(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SCRYPT_LOG_N
  const n = Number(value)
  if (Number.isInteger(n) && n >= 10 && n <= 20) return n
  throw usageError(`RECFLOW_SCRYPT_LOG_N must be an integer from 10 to 20, not "${value}"`, `unset RECFLOW_SCRYPT_LOG_N to use ${DEFAULT_SCRYPT_LOG_N}`)
}

/** Builds the runtime environment from an env object (process.env by default). Pure apart from os.homedir(). */
export function loadRuntimeEnv(env: Env = process.env, platform: NodeJS.Platform = process.platform): RuntimeEnv {
  const home = nonEmpty(env.RECFLOW_HOME)
  const userHome = nonEmpty(env.HOME) ?? os.homedir()
  const configDir = home
    ? path.resolve(home, 'config')
    : path.join(nonEmpty(env.XDG_CONFIG_HOME) ?? path.join(userHome, '.config'), 'recflow')
  const dataDir = home
    ? path.resolve(home, 'data')
    : path.join(nonEmpty(env.XDG_DATA_HOME) ?? path.join(userHome, '.local', 'share'), 'recflow')
  const store = nonEmpty(env.RECFLOW_SECRET_STORE) ?? 'auto'
  const level = oneOf('RECFLOW_LOG_LEVEL', nonEmpty(env.RECFLOW_LOG_LEVEL) ?? 'warn', LOG_LEVELS)
  oneOf('RECFLOW_SECRET_STORE', store, SECRET_STORES)
  return {
    home,
    userHome,
    configDir,
    dataDir,
    dbPath: path.resolve(nonEmpty(env.RECFLOW_DB) ?? path.join(dataDir, 'recflow.db')),
    mediaDir: path.resolve(nonEmpty(env.RECFLOW_MEDIA_DIR) ?? path.join(dataDir, 'media')),
    secretStore: store as SecretStorePreference,
    urls: resolveServiceUrls(env),
    pathEnv: env.PATH ?? '',
    mediaTools: { ffmpeg: nonEmpty(env.RECFLOW_FFMPEG_PATH), ffprobe: nonEmpty(env.RECFLOW_FFPROBE_PATH) },
    isCi: env.CI === 'true' || env.CI === '1',
    noColor: env.NO_COLOR !== undefined,
    browser: nonEmpty(env.BROWSER),
    logLevel: level as RuntimeEnv['logLevel'],
    platform,
    scryptLogN: scryptLogN(nonEmpty(env.RECFLOW_SCRYPT_LOG_N)),
    webOAuth: webOAuthEnv(env),
  }
}

/**
 * The daemon's web sign-in: the OAuth apps it signs users in with (RECFLOW_<PLATFORM>_CLIENT_ID/_SECRET), the
 * address the providers redirect back to (RECFLOW_PUBLIC_URL + /api/v1/oauth/<platform>/callback), and where the
 * browser is sent when the callback is done (RECFLOW_OAUTH_RETURN_URL, default the public URL's root).
 */
export interface WebOAuthEnv {
  clients: Partial<Record<'youtube' | 'vk' | 'zoom', { clientId: string; clientSecret: string | null }>>
  publicUrl: string
  returnUrl: string
}

function webOAuthEnv(env: Env): WebOAuthEnv {
  const clients: WebOAuthEnv['clients'] = {}
  for (const platform of ['youtube', 'vk', 'zoom'] as const) {
    const id = nonEmpty(env[`RECFLOW_${platform.toUpperCase()}_CLIENT_ID`])
    if (id !== undefined) clients[platform] = { clientId: id, clientSecret: nonEmpty(env[`RECFLOW_${platform.toUpperCase()}_CLIENT_SECRET`]) ?? null }
  }
  const publicUrl = stripSlash(nonEmpty(env.RECFLOW_PUBLIC_URL) ?? 'http://127.0.0.1:8000')
  return { clients, publicUrl, returnUrl: nonEmpty(env.RECFLOW_OAUTH_RETURN_URL) ?? `${publicUrl}/` }
}

/** The process environment with command-line overrides applied (flags win over their env twins). */
export function loadProcessRuntimeEnv(overrides: { home?: string; defaultSecretStore?: SecretStorePreference } = {}): RuntimeEnv {
  const env: Env = { ...process.env }
  if (overrides.home) env.RECFLOW_HOME = overrides.home
  // The daemon's default (database): RECFLOW_SECRET_STORE, when set, still wins.
  if (overrides.defaultSecretStore && nonEmpty(env.RECFLOW_SECRET_STORE) === undefined) env.RECFLOW_SECRET_STORE = overrides.defaultSecretStore
  return loadRuntimeEnv(env)
}

export function debugEnabled(): boolean {
  return process.env.RECFLOW_LOG_LEVEL === 'debug'
}

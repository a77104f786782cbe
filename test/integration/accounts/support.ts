import { createApp, type App } from '../../../src/app.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { RecflowError } from '../../../src/domain/errors.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'

/** An app on a temp home with a clock the test moves, the file secret store and cheap scrypt (N = 2^10). */
export interface AccountsTestApp {
  app: App
  home: string
  now: string
  advance(ms: number): void
  close(): Promise<void>
}

export async function openAccountsApp(start = '2026-12-05T10:00:00.000Z'): Promise<AccountsTestApp> {
  const home = makeTempDir()
  const env = loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file', RECFLOW_SCRYPT_LOG_N: '10' })
  const t = {
    now: start,
    home,
    advance(ms: number) {
      t.now = new Date(Date.parse(t.now) + ms).toISOString()
    },
  } as AccountsTestApp
  t.app = await createApp(env, { logger: silentLogger, clock: { now: () => new Date(t.now) } })
  t.close = async () => {
    await t.app.close()
    removeDir(home)
  }
  return t
}

/** The RecflowError `p` rejects with, after checking its code and message. */
export async function rejection(p: Promise<unknown>, code: string, message?: RegExp): Promise<RecflowError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  if (!(e instanceof RecflowError)) throw new Error(`expected a RecflowError ${code}, got ${e === undefined ? 'success' : String(e)}`)
  if (e.code !== code || (message && !message.test(e.message))) throw new Error(`expected ${code} ${message ?? ''}, got ${e.code}: ${e.message}`)
  return e
}

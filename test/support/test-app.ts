import { afterAll, beforeAll } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'
import { makeTempDir, removeDir } from '../fixtures/media/generate.js'

/** The app as the CLI builds it, on `home`, with the encrypted-file secret store and no log output. */
export function openTestApp(home: string, env: Record<string, string> = {}): Promise<App> {
  return createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file', ...env }), { logger: silentLogger })
}

/** One temporary home and app for a whole test file (opened in beforeAll, closed and removed in afterAll). */
export function useTestApp(): { readonly app: App; readonly home: string } {
  let home: string | undefined
  let app: App | undefined
  beforeAll(async () => {
    home = makeTempDir()
    app = await openTestApp(home)
  })
  afterAll(async () => {
    await app?.close()
    if (home) removeDir(home)
  })
  return {
    get app() {
      if (!app) throw new Error('the test app is opened in beforeAll')
      return app
    },
    get home() {
      if (!home) throw new Error('the test home is made in beforeAll')
      return home
    },
  }
}

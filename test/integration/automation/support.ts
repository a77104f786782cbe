import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { createApp, type App } from '../../../src/app.js'
import { forUser, systemScope, type UserScope } from '../../../src/db/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import type { UserRef } from '../../../src/services/context.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'

/** The app on a temp home with a clock the test sets; two folders of "recordings" (random bytes: sync never probes). */
export interface JobsTestApp {
  app: App
  home: string
  user: UserRef
  scope: UserScope
  /** The clock's current instant (ISO); set it to move time. */
  now: string
  folder(name: string): string
  close(): Promise<void>
}

export async function openJobsApp(startIso = '2026-03-27T12:00:00.000Z'): Promise<JobsTestApp> {
  const home = makeTempDir()
  const t = { now: startIso } as JobsTestApp
  const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH ?? '', RECFLOW_SECRET_STORE: 'file' }), {
    logger: silentLogger,
    clock: { now: () => new Date(t.now) },
  })
  return Object.assign(t, {
    app,
    home,
    user: { id: app.localUser.id, timezone: app.localUser.timezone },
    scope: forUser(app.database.db, app.localUser.id),
    folder(name: string) {
      const dir = path.join(home, 'media', name)
      fs.mkdirSync(dir, { recursive: true })
      return dir
    },
    async close() {
      await app.close()
      removeDir(home)
    },
  })
}

/**
 * A small "MP4": an ftyp box header then random bytes. Sync fingerprints it and, its signature being a known
 * container, leaves ffprobe for the first processing (which these tests never start).
 */
export function putFile(dir: string, name: string, bytes = 4096): string {
  const file = path.join(dir, name)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const head = Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom')])
  fs.writeFileSync(file, Buffer.concat([head, crypto.randomBytes(bytes)]))
  return file
}

export async function addFolderSource(t: JobsTestApp, name: string, user: UserRef = t.user) {
  return (await t.app.service('sources')).create(user, { name, platform: 'local', config: { path: t.folder(name) } })
}

export async function addTemplate(t: JobsTestApp, name: string, rules: Record<string, unknown>, output: Record<string, unknown> = {}) {
  return (await t.app.service('templates')).create(t.user, { name, matching_rules: rules, ...output })
}

export async function otherUser(t: JobsTestApp, email = 'other@example.org'): Promise<UserRef> {
  const u = await systemScope(t.app.database.db).users.create({ email, plan: 'enterprise' })
  return { id: u.id, timezone: u.timezone }
}

import { LOCAL_USER_EMAIL, openDatabase, systemScope, type Database } from './db/index.js'
import { isNotRecflowDatabase } from './db/connection.js'
import type { RecflowError } from './domain/errors.js'
import { MediaToolbox } from './media/toolbox.js'
import { ensureDir } from './platform/atomic-fs.js'
import { systemClock, type Clock } from './platform/clock.js'
import type { RuntimeEnv } from './platform/config.js'
import { createLogger, type Logger } from './platform/logger.js'
import { openSecretStore, type SecretStore } from './platform/secrets.js'
import type { ServiceDeps, UserRef } from './services/context.js'
import { doctorService, type DoctorService } from './services/doctor.js'
import { importRecordingService } from './services/import-recording.js'
import { pipelineService } from './services/pipeline/index.js'
import { presetsService } from './services/presets.js'
import { recordingsService } from './services/recordings.js'
import { sourcesService } from './services/sources.js'
import { syncService } from './services/sync/sync-sources.js'
import { tasksService } from './services/tasks.js'
import { templatesService } from './services/templates.js'
import { userConfigService } from './services/user-config.js'
import { runService } from './services/run.js'
import { demoService } from './services/demo.js'
import { overallProgress } from './services/pipeline/overall-progress.js'
import { taskPayloadSchemas, taskRegistry, type TaskRegistry } from './jobs/index.js'

/** One handler per task type (a missing one is a compile error); handlers call the same services as the CLI. */
function buildTaskRegistry(deps: ServiceDeps, services: Pick<CoreServices, 'pipeline' | 'sync'>): TaskRegistry {
  const userOf = async (id: number): Promise<UserRef> => {
    const user = await systemScope(deps.database.db).users.get(id)
    return { id, timezone: user?.timezone ?? 'UTC' }
  }
  return taskRegistry(taskPayloadSchemas, {
    pipeline: async (ctx) =>
      services.pipeline.run(await userOf(ctx.userId), { ...ctx.payload, force: ctx.payload.force as never, runOverride: ctx.payload.runOverride as never }, {
        signal: ctx.signal,
        onEvent: (event) => {
          ctx.onEvent(event)
          const overall = overallProgress(event)
          if (overall) ctx.reportProgress(overall)
        },
      }),
    sync: async (ctx) => services.sync.sync(await userOf(ctx.userId), ctx.payload, { signal: ctx.signal, onEvent: ctx.onEvent }),
  })
}

function buildServices(deps: ServiceDeps) {
  const core = buildCoreServices(deps)
  const run = runService({ deps, pipeline: core.pipeline, sync: core.sync, registry: () => buildTaskRegistry(deps, core) })
  return { ...core, run, demo: demoService(deps, { ...core, run }) }
}

function buildCoreServices(deps: ServiceDeps) {
  return {
    templates: templatesService(deps),
    presets: presetsService(deps),
    sources: sourcesService(deps),
    recordings: recordingsService(deps),
    config: userConfigService(deps),
    doctor: doctorService(deps),
    tasks: tasksService(deps),
    sync: syncService(deps),
    imports: importRecordingService(deps),
    pipeline: pipelineService(deps),
  }
}

export type Services = ReturnType<typeof buildServices>
type CoreServices = ReturnType<typeof buildCoreServices>

export interface App {
  readonly env: RuntimeEnv
  readonly database: Database
  readonly services: Services
  /** The CLI's own user (created on first use: role admin, plan enterprise). */
  readonly localUser: UserRef & { email: string; created: boolean }
  close(): Promise<void>
}

export interface CreateAppOptions {
  clock?: Clock
  logger?: Logger
}

/** The composition root: every piece of state lives here and is passed down; nothing is a module singleton. */
export async function createApp(env: RuntimeEnv, opts: CreateAppOptions = {}): Promise<App> {
  ensureDir(env.configDir, 0o700)
  ensureDir(env.dataDir, 0o700)
  ensureDir(env.mediaDir, 0o700)
  const database = await openDatabase(env.dbPath)
  try {
    const logger = opts.logger ?? createLogger(env.logLevel)
    let secretStore: Promise<SecretStore> | undefined
    const deps: ServiceDeps = {
      database,
      env,
      clock: opts.clock ?? systemClock,
      logger,
      media: new MediaToolbox({ pathEnv: env.pathEnv, overrides: env.mediaTools, platform: env.platform }),
      // Opened on first use: probing the keychain costs time most commands do not need to spend.
      secrets: () => (secretStore ??= openSecretStore({ preference: env.secretStore, configDir: env.configDir, platform: env.platform })),
    }
    const system = systemScope(database.db)
    const existing = await system.users.findByEmail(LOCAL_USER_EMAIL)
    const user = existing ?? (await system.users.ensureLocalUser())
    return {
      env,
      database,
      services: buildServices(deps),
      localUser: { id: user.id, timezone: user.timezone, email: user.email, created: existing === undefined },
      close: () => database.close(),
    }
  } catch (e) {
    await database.close()
    throw e
  }
}

export { isNotRecflowDatabase }

/**
 * `recflow doctor` when createApp failed because the database file is not a recflow database: every other check
 * still runs, and the database check fails with that error's message and hint.
 */
export function doctorWithoutDatabase(env: RuntimeEnv, databaseError: RecflowError): DoctorService {
  let secretStore: Promise<SecretStore> | undefined
  return doctorService({
    databaseError,
    env,
    clock: systemClock,
    logger: createLogger(env.logLevel),
    media: new MediaToolbox({ pathEnv: env.pathEnv, overrides: env.mediaTools, platform: env.platform }),
    secrets: () => (secretStore ??= openSecretStore({ preference: env.secretStore, configDir: env.configDir, platform: env.platform })),
  })
}

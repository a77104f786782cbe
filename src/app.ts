import path from 'node:path'
import { forUser, LOCAL_USER_EMAIL, openDatabase, systemScope, type Database, type Executor, type UserScope } from './db/index.js'
import { isUnopenableDatabase, NOT_RECFLOW_DATABASE, NOT_RECFLOW_DATABASE_FIX } from './db/connection.js'
import { boundedMap } from './domain/bounded-map.js'
import { MediaToolbox } from './media/toolbox.js'
import { ensureDir } from './platform/atomic-fs.js'
import { systemClock, type Clock } from './platform/clock.js'
import type { RuntimeEnv } from './platform/config.js'
import { createLogger, type Logger } from './platform/logger.js'
import type { SecretStore } from './platform/secrets.js'
import { RecflowError } from './domain/errors.js'
import type { AiProviders, OAuthProviders, ProviderEnv, Publishers, RecordingSources } from './providers/types.js'
import type { Scopes, ServiceDeps, TaskQueuePort, UserRef } from './services/context.js'
import type { AccessTokens } from './services/access-tokens.js'
import type { AccountsService } from './services/accounts/accounts-service.js'
import type { TaskRegistry } from './jobs/index.js'
import type { AuthService } from './services/auth/auth-service.js'
import type { CallersService } from './services/callers.js'
import type { HealthService } from './services/health.js'
import type { CredentialsService } from './services/credentials/credentials.js'
import type { CredentialKeysService } from './services/credentials/credential-keys.js'
import type { WebSignInService } from './services/auth/web-sign-in.js'
import type { DemoService } from './services/demo.js'
import type { DoctorService } from './services/doctor.js'
import type { JobsService } from './services/automation/jobs-service.js'
import type { ImportRecordingService } from './services/import-recording.js'
import type { PipelineService } from './services/pipeline/index.js'
import type { PresetsService } from './services/presets.js'
import type { QuotaService } from './services/quota/quota-service.js'
import type { QuotaAdminService } from './services/quota/admin-service.js'
import type { RecordingsService } from './services/recordings.js'
import type { RecordingActionsService } from './services/recording-actions.js'
import type { RecordingBatchService } from './services/recording-batch.js'
import type { RecordingUploadService } from './services/recording-upload.js'
import type { RunService } from './services/run.js'
import type { SchedulerService } from './services/automation/scheduler.js'
import type { SchedulerCron } from './services/automation/scheduler-cron.js'
import type { SchedulerTick } from './services/automation/scheduler-tick.js'
import type { SourcesService } from './services/sources.js'
import type { SyncService } from './services/sync/sync-sources.js'
import type { TasksService } from './services/tasks.js'
import type { TemplatesService } from './services/templates.js'
import type { ThumbnailsService } from './services/thumbnails.js'
import type { TopicsService } from './services/topics/topics-service.js'
import type { UserConfigService } from './services/user-config.js'
import type { ZoomWebhooksService } from './services/zoom-webhooks/zoom-webhooks.js'
import type { DaemonService } from './services/daemon/daemon-runtime.js'

/** Every service the app can build, by name: `await app.service('recordings')`. */
export interface Services {
  templates: TemplatesService
  presets: PresetsService
  sources: SourcesService
  recordings: RecordingsService
  recordingActions: RecordingActionsService
  recordingBatch: RecordingBatchService
  recordingUpload: RecordingUploadService
  config: UserConfigService
  doctor: DoctorService
  tasks: TasksService
  sync: SyncService
  imports: ImportRecordingService
  pipeline: PipelineService
  run: RunService
  demo: DemoService
  credentials: CredentialsService
  credentialKeys: CredentialKeysService
  webSignIn: WebSignInService
  auth: AuthService
  topics: TopicsService
  zoomWebhooks: ZoomWebhooksService
  scheduler: SchedulerService
  jobs: JobsService
  cron: SchedulerCron
  schedulerTick: SchedulerTick
  accessTokens: AccessTokens
  callers: CallersService
  health: HealthService
  accounts: AccountsService
  quota: QuotaService
  quotaAdmin: QuotaAdminService
  daemon: DaemonService
  thumbnails: ThumbnailsService
}
export type ServiceName = keyof Services

type ServiceLoaders = {
  readonly [K in ServiceName]: (deps: ServiceDeps, service: App['service']) => Promise<Services[K]>
}

/** A registry with a handler for every task type, the job runs' included (the scheduler's and the daemon's workers). */
async function everyTaskRegistry(
  deps: ServiceDeps,
  service: App['service'],
  build: typeof import('./services/task-handlers.js').buildTaskRegistry,
): Promise<TaskRegistry> {
  return build(deps, { pipeline: await service('pipeline'), sync: await service('sync'), jobs: () => service('jobs') })
}

/**
 * How each service is built. A service's module (and what only it needs: ffmpeg, the queue, providers, Ink-free
 * but heavy code) is imported the first time the service is asked for, so a command loads only what it runs.
 * A missing entry is a compile error.
 */
const SERVICE_LOADERS: ServiceLoaders = {
  templates: async (deps) => (await import('./services/templates.js')).templatesService(deps),
  presets: async (deps) => (await import('./services/presets.js')).presetsService(deps),
  sources: async (deps) => (await import('./services/sources.js')).sourcesService(deps),
  recordings: async (deps) => (await import('./services/recordings.js')).recordingsService(deps),
  recordingActions: async (deps) => (await import('./services/recording-actions.js')).recordingActionsService(deps),
  recordingBatch: async (deps) => (await import('./services/recording-batch.js')).recordingBatchService(deps),
  recordingUpload: async (deps) => (await import('./services/recording-upload.js')).recordingUploadService(deps),
  config: async (deps) => (await import('./services/user-config.js')).userConfigService(deps),
  doctor: async (deps) => (await import('./services/doctor.js')).doctorService(deps),
  tasks: async (deps) => (await import('./services/tasks.js')).tasksService(deps),
  sync: async (deps) => (await import('./services/sync/sync-sources.js')).syncService(deps),
  imports: async (deps) => (await import('./services/import-recording.js')).importRecordingService(deps),
  pipeline: async (deps) => (await import('./services/pipeline/index.js')).pipelineService(deps),
  credentials: async (deps) => (await import('./services/credentials/credentials.js')).credentialsService(deps),
  webSignIn: async (deps) => (await import('./services/auth/web-sign-in.js')).webSignInService(deps),
  credentialKeys: async (deps) => (await import('./services/credentials/credential-keys.js')).credentialKeysService(deps),
  topics: async (deps) => (await import('./services/topics/topics-service.js')).topicsService(deps),
  auth: async (deps) => (await import('./services/auth/auth-service.js')).authService(deps),
  quota: async (deps) => (await import('./services/quota/quota-service.js')).quotaService(deps),
  quotaAdmin: async (deps) => (await import('./services/quota/admin-service.js')).quotaAdminService(deps),
  zoomWebhooks: async (deps) => (await import('./services/zoom-webhooks/zoom-webhooks.js')).zoomWebhooksService(deps),
  scheduler: async (deps) => (await import('./services/automation/scheduler.js')).schedulerService(deps),
  cron: async (deps) => (await import('./services/automation/scheduler-cron.js')).schedulerCron(deps),
  accessTokens: async (deps) => (await import('./services/access-tokens.js')).accessTokensService(deps),
  callers: async (deps) => (await import('./services/callers.js')).callersService(deps),
  health: async (deps) => (await import('./services/health.js')).healthService(deps),
  thumbnails: async (deps) => (await import('./services/thumbnails.js')).thumbnailsService(deps),
  accounts: async (deps, service) => (await import('./services/accounts/accounts-service.js')).accountsService(deps, () => service('accessTokens')),
  schedulerTick: async (deps, service) => {
    const [{ schedulerTick }, { buildTaskRegistry }, scheduler] = await Promise.all([
      import('./services/automation/scheduler-tick.js'),
      import('./services/task-handlers.js'),
      service('scheduler'),
    ])
    // The worker runs the job runs (automation_job: the jobs service's execute) and the pipelines they queue.
    return schedulerTick(deps, scheduler, () => everyTaskRegistry(deps, service, buildTaskRegistry))
  },
  daemon: async (deps, service) => {
    const [{ daemonService }, { buildTaskRegistry }, scheduler] = await Promise.all([
      import('./services/daemon/daemon-runtime.js'),
      import('./services/task-handlers.js'),
      service('scheduler'),
    ])
    // Every task type of every user: pipelines, syncs, and the job runs the scheduler queues.
    return daemonService(deps, scheduler, () => everyTaskRegistry(deps, service, buildTaskRegistry))
  },
  run: async (deps, service) => {
    const [{ runService }, { buildTaskRegistry }, pipeline, sync] = await Promise.all([
      import('./services/run.js'),
      import('./services/task-handlers.js'),
      service('pipeline'),
      service('sync'),
    ])
    return runService({ deps, pipeline, sync, registry: () => buildTaskRegistry(deps, { pipeline, sync }) })
  },
  jobs: async (deps, service) => {
    const [{ jobsService }, sync] = await Promise.all([import('./services/automation/jobs-service.js'), service('sync')])
    return jobsService(deps, { sync, run: () => service('run') })
  },
  demo: async (deps, service) => {
    const [{ demoService }, sources, presets, templates, run] = await Promise.all([
      import('./services/demo.js'),
      service('sources'),
      service('presets'),
      service('templates'),
      service('run'),
    ])
    return demoService(deps, { sources, presets, templates, run })
  },
}

/** One factory per platform that has a publisher; each imports its provider only when a preset publishes there. */
function publishers(providerEnv: ProviderEnv, retryBaseMs: number | undefined): Publishers {
  return {
    local: async ({ destination }) => (await import('./providers/local/folder-publisher.js')).folderPublisher(destination),
    youtube: async (config) =>
      (await import('./providers/youtube/index.js')).createYoutubeUploader(config, providerEnv, retryBaseMs === undefined ? {} : { retryBaseMs }),
    vk: async (config) => (await import('./providers/vk/index.js')).createVkUploader(config, providerEnv, retryBaseMs === undefined ? {} : { backoffMs: retryBaseMs }),
  }
}

/** Speech and chat clients, each module loaded on first use. */
function aiProviders(providerEnv: ProviderEnv): AiProviders {
  return {
    transcriber: async (config) => (await import('./providers/transcription/index.js')).createTranscriber(config, providerEnv),
    transcriptionPrice: async (provider, model) => (await import('./providers/transcription/index.js')).transcriptionPricePerMinute(provider, model),
    textModel: async (config) => (await import('./providers/llm/index.js')).createTextModel(config, providerEnv),
    checkApiKey: async (kind, access, control) =>
      kind === 'deepseek'
        ? (await import('./providers/llm/index.js')).checkChatKey(access, providerEnv, control)
        : (await import('./providers/transcription/index.js')).checkTranscriptionKey(kind, access, providerEnv, control),
  }
}

/** Recording source clients (Zoom), each module loaded on first use. */
function recordingSources(providerEnv: ProviderEnv): RecordingSources {
  return {
    zoom: async (config) => (await import('./providers/zoom/index.js')).createZoomRecordingSource(config, providerEnv),
  }
}

/** OAuth providers by platform, each module loaded on first use. */
function oauthProviders(providerEnv: ProviderEnv): OAuthProviders {
  return {
    youtube: async () => (await import('./providers/oauth/google.js')).googleOAuth(providerEnv),
    vk: async () => (await import('./providers/oauth/vk.js')).vkOAuth(providerEnv),
    zoom: async () => (await import('./providers/oauth/zoom.js')).zoomOAuth(providerEnv),
  }
}

export interface App {
  readonly env: RuntimeEnv
  readonly database: Database
  /** The named service, built (and its module loaded) on first use; later calls return the same instance. */
  service<K extends ServiceName>(name: K): Promise<Services[K]>
  /** The CLI's own user (created on first use: role admin, plan enterprise). */
  readonly localUser: UserRef & { email: string; created: boolean }
  /** Closes the database; later calls return the first call's promise. */
  close(): Promise<void>
}

export interface CreateAppOptions {
  clock?: Clock
  logger?: Logger
  /** The uploaders' backoff unit in ms (YouTube retryBaseMs, VK backoffMs); tests pass ~1 so a retry costs nothing. */
  uploadRetryBaseMs?: number
}

/** The scopes services reach the database through: they never hold the raw query handle. */
/**
 * Scopes over the root connection. A user's scope holds only the executor and the user id, so one is made per user
 * and kept (making the ~25 repositories' closures on every call was ~4 % of a daemon list request); transaction
 * scopes are made by `transaction`, never kept.
 */
function scopesOf(db: Executor): Scopes {
  const users = boundedMap<number, UserScope>(10_000)
  return {
    forUser: (userId) => {
      let scope = users.get(userId)
      if (scope === undefined) users.set(userId, (scope = forUser(db, userId)))
      return scope
    },
    system: () => systemScope(db),
  }
}

/** The task queue bound to the database; the job modules are loaded the first time a command uses the queue. */
function taskQueueOf(db: Executor): TaskQueuePort {
  return {
    enqueue: async (userId, input) => (await import('./jobs/queue.js')).enqueue(db, userId, input),
    recoverFromDeadLocalOwner: async (taskId, opts) => (await import('./jobs/lease-owner.js')).recoverFromDeadLocalOwner(db, taskId, opts),
    recoverDeadLocalOwners: async (opts) => (await import('./jobs/lease-owner.js')).recoverDeadLocalOwners(db, opts),
    worker: async (opts) => new (await import('./jobs/worker.js')).Worker({ ...opts, db }),
  }
}

/** What every service is built from except the database: clock, logger, media tools, secrets, publishers. */
function baseDeps(env: RuntimeEnv, opts: CreateAppOptions): Omit<ServiceDeps, 'scopes' | 'queue' | 'databaseHealth' | 'databaseChanges'> {
  let secretStore: Promise<SecretStore> | undefined
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? createLogger(env.logLevel)
  return {
    env,
    clock,
    logger,
    media: new MediaToolbox({ pathEnv: env.pathEnv, overrides: env.mediaTools, platform: env.platform, versionCache: path.join(env.dataDir, 'media-tools.json') }),
    // Opened on first use: loading and probing the keychain costs time most commands do not need to spend.
    secrets: () =>
      (secretStore ??= import('./platform/secrets.js').then(({ openSecretStore }) =>
        openSecretStore({ preference: env.secretStore, configDir: env.configDir, platform: env.platform }),
      )),
    credentialKeys: {
      sealNewSecrets: env.secretStore === 'database',
      keyring: async () => new (await import('./platform/credential-keys.js')).CredentialKeyring(env.configDir),
    },
    publishers: publishers({ urls: env.urls, logger, clock }, opts.uploadRetryBaseMs),
    ai: aiProviders({ urls: env.urls, logger, clock }),
    sources: recordingSources({ urls: env.urls, logger, clock }),
    oauth: oauthProviders({ urls: env.urls, logger, clock }),
  }
}

/** The composition root: every piece of state lives here and is passed down; nothing is a module singleton. */
export async function createApp(env: RuntimeEnv, opts: CreateAppOptions = {}): Promise<App> {
  ensureDir(env.configDir, 0o700)
  ensureDir(env.dataDir, 0o700)
  ensureDir(env.mediaDir, 0o700)
  const database = await openDatabase(env.dbPath)
  try {
    const deps: ServiceDeps = { ...baseDeps(env, opts), scopes: scopesOf(database.db), queue: taskQueueOf(database.db), databaseHealth: database, databaseChanges: database }
    deps.logger.debug('opened the database', { path: env.dbPath, schema: database.schemaVersion })
    const system = deps.scopes.system()
    const existing = await system.users.findByEmail(LOCAL_USER_EMAIL)
    const user = existing ?? (await system.users.ensureLocalUser())

    const built = new Map<ServiceName, Promise<unknown>>()
    const service = <K extends ServiceName>(name: K): Promise<Services[K]> => {
      let pending = built.get(name) as Promise<Services[K]> | undefined
      if (!pending) {
        pending = SERVICE_LOADERS[name](deps, service)
        built.set(name, pending)
        // A failed load is not remembered (the next call tries again), like the media toolbox's lookups.
        pending.catch(() => built.delete(name))
      }
      return pending
    }
    let closed: Promise<void> | undefined
    return {
      env,
      database,
      service,
      localUser: { id: user.id, timezone: user.timezone, email: user.email, created: existing === undefined },
      // Once: the daemon closes it before removing its pid file, and the command's end closes it again.
      close: () => (closed ??= database.close()),
    }
  } catch (e) {
    await database.close()
    throw e
  }
}

export { isUnopenableDatabase }

/**
 * `recflow doctor` when createApp failed because the database cannot be opened (not a recflow database, or its disk
 * is full): every other check still runs, and the database check fails with that error's message and hint.
 */
export async function doctorWithoutDatabase(env: RuntimeEnv, databaseError: RecflowError): Promise<DoctorService> {
  const { doctorService } = await import('./services/doctor.js')
  // Its hint without "`recflow doctor` checks it": this is doctor.
  const error = (databaseError.details as { kind?: unknown } | undefined)?.kind === NOT_RECFLOW_DATABASE
    ? new RecflowError(databaseError.code, databaseError.message, { hint: NOT_RECFLOW_DATABASE_FIX, details: databaseError.details, cause: databaseError })
    : databaseError
  return doctorService({ ...baseDeps(env, {}), databaseError: error })
}

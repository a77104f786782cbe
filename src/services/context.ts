import type { SystemScope, Task, UserScope } from '../db/index.js'
import type { Enqueued, EnqueueInput, TaskPayloadInput, TaskType, Worker, WorkerOptions } from '../jobs/index.js'
import type { MediaToolbox } from '../media/toolbox.js'
import type { Clock } from '../platform/clock.js'
import type { RuntimeEnv } from '../platform/config.js'
import type { Logger } from '../platform/logger.js'
import type { SecretStore } from '../platform/secrets.js'
import type { CredentialKeyring } from '../platform/credential-keys.js'
import type { AiProviders, OAuthProviders, Publishers, RecordingSources } from '../providers/types.js'

/** Who a service call acts for. Every repository call inside goes through scopes.forUser(user.id). */
export interface UserRef {
  readonly id: number
  readonly timezone: string
}

/**
 * The only way services reach the database: a user's rows, or the few reviewed cross-tenant lookups. Services
 * never hold the raw query handle, so a query that is not bound to a user does not type-check.
 */
export interface Scopes {
  forUser(userId: number): UserScope
  system(): SystemScope
}

/** The task queue bound to the database by the composition root (its modules are loaded on first use). */
export interface TaskQueuePort {
  /** Validates the payload with its type's schema, then stores the task (or finds the one holding the dedupe key). */
  enqueue<K extends TaskType>(userId: number, input: EnqueueInput<K, TaskPayloadInput<K>>): Promise<Enqueued>
  /** Takes a task back from a dead worker process of this host (see src/jobs/lease-owner.ts). */
  recoverFromDeadLocalOwner(taskId: number, opts: { now: Date; logger?: Logger }): Promise<Task | undefined>
  /** Takes back every running task (of one user, when given) whose worker process on this host is gone. */
  recoverDeadLocalOwners(opts: { now: Date; userId?: number; logger?: Logger }): Promise<Task[]>
  /** A worker over this database's queue. */
  worker(opts: Omit<WorkerOptions, 'db'>): Promise<Worker>
}

/** What a doctor reads about the open database file. */
export interface DatabaseHealth {
  /** Name of the last applied migration, e.g. "0001_initial". */
  readonly schemaVersion: string
  /** PRAGMA integrity_check: the problems SQLite finds (at most `max`), none when the file is sound. */
  integrityProblems(max?: number): string[]
}

/** Whether the database may have changed: see Database.changeStamp (src/db/connection.ts) and read-cache.ts. */
export interface DatabaseChanges {
  changeStamp(): string | undefined
}

/** Daemon-mode credential sealing (src/services/credentials/credential-secrets.ts). */
export interface CredentialKeysPort {
  /** True (RECFLOW_SECRET_STORE=database): new credential secrets are sealed into their rows, not the secret store. */
  readonly sealNewSecrets: boolean
  keyring(): Promise<CredentialKeyring>
}

/** What services are built from (createApp wires them once). Services never read the environment or print. */
export interface ServiceDeps {
  readonly scopes: Scopes
  readonly queue: TaskQueuePort
  readonly databaseHealth: DatabaseHealth
  readonly databaseChanges: DatabaseChanges
  readonly env: RuntimeEnv
  readonly clock: Clock
  readonly logger: Logger
  readonly media: MediaToolbox
  readonly secrets: () => Promise<SecretStore>
  /**
   * The keys that seal credential secrets into their rows (daemon mode). Absent in some tests: then new secrets
   * go to the secret store and a sealed row cannot be read.
   */
  readonly credentialKeys?: CredentialKeysPort
  /** Publisher factories by platform, wired by the composition root (services never import a provider). */
  readonly publishers: Publishers
  /** Speech-to-text and chat clients (API-key services), wired by the composition root. */
  readonly ai: AiProviders
  /** Recording source clients (Zoom), wired by the composition root. */
  readonly sources: RecordingSources
  /** OAuth providers by platform (authorize URLs, token endpoints, account names), wired by the composition root. */
  readonly oauth: OAuthProviders
}

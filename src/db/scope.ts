import { RecflowError } from '../domain/errors.js'
import { automationJobRepository, dueJobLookup } from './repositories/automation-jobs.js'
import { configRepository } from './repositories/configs.js'
import { credentialRepository, sealedCredentialLookup } from './repositories/credentials.js'
import { jobRunRepository } from './repositories/job-runs.js'
import { presetRepository } from './repositories/presets.js'
import { quotaRepository } from './repositories/quota.js'
import { recordingRepository } from './repositories/recordings.js'
import { refreshTokenLookup, refreshTokenRepository } from './repositories/refresh-tokens.js'
import { sourceMetadataRepository } from './repositories/source-metadata.js'
import { sourceRepository } from './repositories/sources.js'
import { stageRepository } from './repositories/stages.js'
import { statsRepository } from './repositories/stats.js'
import { quotaStatsRepository } from './repositories/quota-stats.js'
import { planRepository, subscriptionRepository } from './repositories/subscriptions.js'
import { targetRepository } from './repositories/targets.js'
import { taskEventRepository } from './repositories/task-events.js'
import { taskQueue } from './repositories/task-queue.js'
import { taskRepository } from './repositories/tasks.js'
import { templateRepository } from './repositories/templates.js'
import { topicSetRepository } from './repositories/topic-sets.js'
import { profileRepository, userAdminRepository } from './repositories/users.js'
import { inTransaction, type Executor } from './transaction.js'
import { isId } from './values.js'

/**
 * The only way to reach a user's rows: every repository here binds `userId` into each statement, and every
 * reference to another owned row is checked to belong to the same user. Another user's id behaves exactly like
 * a missing one (undefined / false / not_found).
 */
export function forUser(executor: Executor, userId: number): UserScope {
  if (!isId(userId)) throw new RecflowError('internal', `forUser needs a user id, got ${String(userId)}`)
  return {
    userId,
    ...userRepositories(executor, userId),
    transaction: (fn) => inTransaction(executor, (tx) => fn(forUser(tx, userId))),
  }
}

function userRepositories(executor: Executor, userId: number) {
  return {
    profile: profileRepository(executor, userId),
    refreshTokens: refreshTokenRepository(executor, userId),
    credentials: credentialRepository(executor, userId),
    configs: configRepository(executor, userId),
    subscription: subscriptionRepository(executor, userId),
    quota: quotaRepository(executor, userId),
    sources: sourceRepository(executor, userId),
    recordings: recordingRepository(executor, userId),
    sourceMetadata: sourceMetadataRepository(executor, userId),
    templates: templateRepository(executor, userId),
    presets: presetRepository(executor, userId),
    targets: targetRepository(executor, userId),
    stages: stageRepository(executor, userId),
    topicSets: topicSetRepository(executor, userId),
    automationJobs: automationJobRepository(executor, userId),
    jobRuns: jobRunRepository(executor, userId),
    tasks: taskRepository(executor, userId),
    taskEvents: taskEventRepository(executor, userId),
  }
}

export type UserRepositories = ReturnType<typeof userRepositories>

export interface UserScope extends UserRepositories {
  readonly userId: number
  /**
   * Runs `fn` atomically with a scope bound to the transaction (joins an enclosing one). Keep it brief: no
   * ffmpeg, HTTP or file IO inside.
   */
  transaction<T>(fn: (tx: UserScope) => Promise<T>): Promise<T>
}

/**
 * Cross-tenant operations, for the few reviewed places that need them: registration and login lookups, the
 * local CLI user, plans, the scheduler's due-job scan, the worker's queue, admin totals.
 */
export function systemScope(executor: Executor): SystemScope {
  return {
    ...systemRepositories(executor),
    transaction: (fn) => inTransaction(executor, (tx) => fn(systemScope(tx))),
  }
}

function systemRepositories(executor: Executor) {
  return {
    users: userAdminRepository(executor),
    plans: planRepository(executor),
    refreshTokens: refreshTokenLookup(executor),
    automationJobs: dueJobLookup(executor),
    tasks: taskQueue(executor),
    stats: statsRepository(executor),
    quotaStats: quotaStatsRepository(executor),
    sealedCredentials: sealedCredentialLookup(executor),
  }
}

export interface SystemScope extends ReturnType<typeof systemRepositories> {
  transaction<T>(fn: (tx: SystemScope) => Promise<T>): Promise<T>
}

import { setTimeout as sleep } from 'node:timers/promises'
import type { Recording, RecordingStatus, Task } from '../db/index.js'
import { validatePartialConfig, type PartialConfig } from '../domain/config/index.js'
import { RecflowError, isRecflowError, notFound } from '../domain/errors.js'
import type { StageType } from '../domain/status/index.js'
import { ProgressBus, taskFailure, type TaskRegistry, type Worker } from '../jobs/index.js'
import { parseLeaseOwner } from '../jobs/lease-owner.js'
import type { ServiceDeps, UserRef } from './context.js'
import { enqueuePipeline } from './enqueue-pipeline.js'
import { noopSink, type EventSink, type RunControl } from '../domain/events.js'
import { listAll } from './paging.js'
import type { PipelineResult, PipelineService } from './pipeline/index.js'
import type { TargetSelection } from './pipeline/publish-targets.js'
import type { SyncResult } from './sync/summary.js'

/** Statuses a plain `recflow run` picks up: waiting, or interrupted part-way (a crash, a Ctrl-C). */
const RESUMABLE: RecordingStatus[] = ['INITIALIZED', 'DOWNLOADING', 'DOWNLOADED', 'PROCESSING', 'PROCESSED', 'TRANSCRIBING', 'TRANSCRIBED', 'UPLOADING', 'UPLOADED']

export interface RunInput {
  /** Sync these sources first and run only their recordings (default: every active source, every recording). */
  sourceIds?: number[]
  /** Run exactly these recordings (no sync; failed and unmapped ones too). */
  recordingIds?: number[]
  dryRun?: boolean
  force?: Array<StageType | 'UPLOAD'>
  runOverride?: PartialConfig | null
  stopAfter?: StageType
  /** Publish only these targets of the recordings (`recordings upload`, `recordings retry-upload`). */
  targets?: TargetSelection
  /** Pipelines run at once, at most (an automation job's max_parallel); the plan's limit and 4 still apply. */
  maxParallel?: number
}

export interface RunOutcome {
  recordingId: number
  displayName: string
  state: 'succeeded' | 'failed' | 'cancelled' | 'pending'
  taskId?: number
  result?: PipelineResult
  error?: { code: string; message: string; hint?: string }
}

export interface RunResult {
  sync: SyncResult | null
  recordings: RunOutcome[]
  cancelled: boolean
  dryRun: boolean
}

export interface RunDeps {
  deps: ServiceDeps
  pipeline: PipelineService
  sync: { sync(user: UserRef, input: { sourceIds?: number[] }, control?: RunControl): Promise<SyncResult> }
  registry: () => TaskRegistry
}

async function selectRecordings(deps: ServiceDeps, user: UserRef, input: RunInput): Promise<Recording[]> {
  const scope = deps.scopes.forUser(user.id)
  if (input.recordingIds) {
    const found: Recording[] = []
    for (const id of input.recordingIds) {
      const rec = await scope.recordings.get(id)
      if (!rec) throw notFound('recording', id, 'run `recflow recordings list` to see recording ids')
      found.push(rec)
    }
    return found
  }
  const sources = input.sourceIds ?? [undefined]
  const all = await Promise.all(
    sources.map(async (sourceId) => [
      ...(await listAll((page) => scope.recordings.list({ status: RESUMABLE, failed: false, source_id: sourceId }, page))),
      // A publication that failed (a full disk, a folder not writable) is retried: the user fixes the cause and runs
      // again. A failed stage is left alone (`recflow recordings run ID` retries it).
      ...(await listAll((page) => scope.recordings.list({ failed: true, source_id: sourceId }, page))).filter((r) => r.failed_stage === 'UPLOAD'),
    ]),
  )
  // Oldest first: lectures publish in the order they were given.
  return all.flat().sort((a, b) => a.start_time.localeCompare(b.start_time) || a.id - b.id)
}

function outcomeOf(rec: Recording, task: Task | undefined): RunOutcome {
  const base = { recordingId: rec.id, displayName: rec.display_name, taskId: task?.id }
  if (!task || task.state === 'pending' || task.state === 'running') return { ...base, state: 'pending' }
  if (task.state === 'succeeded') return { ...base, state: 'succeeded', result: task.result as PipelineResult }
  const e = taskFailure(task)
  return { ...base, state: task.state, error: { code: e.code, message: e.message, hint: e.hint } }
}

const OTHERS_POLL_MS = 500

/**
 * Runs this run's tasks; the ones another live recflow run is processing already (same recordings, started from
 * another terminal or by the daemon) are waited for, each announced once with that run's pid, so this run reports
 * how they ended instead of "pending". When such a run dies, its task comes back to the queue and this run takes
 * it over. Ctrl-C stops the waiting and leaves them to their run.
 */
async function runAndWaitForOthers(
  worker: Worker,
  ids: number[],
  ctx: { deps: ServiceDeps; user: UserRef; emit: EventSink; signal?: AbortSignal },
): Promise<void> {
  const scope = ctx.deps.scopes.forUser(ctx.user.id)
  const announced = new Set<number>()
  for (;;) {
    await worker.runUntilIdle({ filter: { ids, userId: ctx.user.id } })
    if (ctx.signal?.aborted) return
    const elsewhere = (await Promise.all(ids.map((id) => scope.tasks.get(id)))).filter((t): t is Task => t?.state === 'running')
    if (elsewhere.length === 0) return
    for (const task of elsewhere) {
      if (announced.has(task.id)) continue
      announced.add(task.id)
      const pid = task.lease_owner ? parseLeaseOwner(task.lease_owner)?.pid : undefined
      ctx.emit({
        type: 'log',
        level: 'info',
        recordingId: task.recording_id ?? undefined,
        message: `being processed by another recflow run${pid === undefined ? '' : ` (pid ${pid})`} as task ${task.id}: waiting for it (Ctrl-C leaves it to that run)`,
      })
    }
    await sleep(OTHERS_POLL_MS, undefined, { signal: ctx.signal }).catch(() => undefined)
  }
}

/**
 * `recflow run`: sync, match, then the pipeline for every waiting recording, each as a durable task run by an
 * in-process worker (so a crash or Ctrl-C leaves the queue consistent and the next run resumes). A dry run plans
 * without the queue and writes nothing.
 */
export function runService({ deps, pipeline, sync, registry }: RunDeps) {
  return {
    async run(user: UserRef, input: RunInput, control: RunControl = {}): Promise<RunResult> {
      const emit = control.onEvent ?? noopSink
      const dryRun = input.dryRun === true
      // Bad settings are bad input: refused before anything is synced or queued, not a task that fails later.
      if (input.runOverride) input = { ...input, runOverride: validatePartialConfig(input.runOverride, 'run settings') }
      // Rows are stamped with the wall clock (db/values.ts nowIso): one created from here on is this run's sync's.
      const syncStartedAt = new Date().toISOString()
      const synced = input.recordingIds || dryRun ? null : await sync.sync(user, { sourceIds: input.sourceIds }, control)
      const recordings = await selectRecordings(deps, user, input)

      if (dryRun) {
        const outcomes: RunOutcome[] = []
        for (const rec of recordings) {
          try {
            const result = await pipeline.run(user, { recordingId: rec.id, dryRun: true, force: input.force, runOverride: input.runOverride, stopAfter: input.stopAfter }, control)
            outcomes.push({ recordingId: rec.id, displayName: rec.display_name, state: 'succeeded', result })
          } catch (e) {
            if (control.signal?.aborted) throw e
            const err = isRecflowError(e) ? e : new RecflowError('internal', (e as Error).message)
            outcomes.push({ recordingId: rec.id, displayName: rec.display_name, state: 'failed', error: { code: err.code, message: err.message, hint: err.hint } })
          }
        }
        return { sync: synced, recordings: outcomes, cancelled: false, dryRun }
      }

      const tasks = new Map<number, number>() // recording id -> task id
      for (const rec of recordings) {
        const payload = { recordingId: rec.id, force: input.force, runOverride: input.runOverride ?? undefined, stopAfter: input.stopAfter, targets: input.targets }
        const task = await enqueuePipeline(deps, user, payload, { exclusive: input.recordingIds !== undefined, emit })
        tasks.set(rec.id, task.id)
        deps.logger.debug('queued the pipeline', { recordingId: rec.id, taskId: task.id })
        // Its row shows (queued) before a worker takes it, so the view counts every recording of the run from the start;
        // one this run's sync just created is "added", one that was waiting already is "queued".
        const isNew = synced !== null && rec.created_at >= syncStartedAt
        emit({ type: 'recording', recordingId: rec.id, displayName: rec.display_name, status: rec.status, ...(isNew ? { isNew } : {}) })
      }
      const ids = [...tasks.values()]
      if (ids.length === 0) return { sync: synced, recordings: [], cancelled: false, dryRun }

      const ours = new Set(ids)
      const recordingOf = new Map([...tasks].map(([recordingId, taskId]) => [taskId, recordingId]))
      const stageFailed = new Set<number>() // recordings whose failure a stage has reported
      const bus = new ProgressBus({ logger: deps.logger })
      const unsubscribe = bus.subscribe((u) => {
        if (!ours.has(u.taskId)) return
        if (u.kind === 'event') {
          if (u.event.type === 'stage-failed') stageFailed.add(u.event.recordingId)
          emit(u.event)
        } else if (u.kind === 'state' && u.state === 'failed' && u.error) {
          // A pipeline that failed before or outside its stages (settings that do not validate): said once, so the
          // view counts the recording failed, not "not started".
          const recordingId = recordingOf.get(u.taskId)
          if (recordingId !== undefined && !stageFailed.has(recordingId)) {
            emit({ type: 'recording-failed', recordingId, message: u.error.message, ...(u.error.hint ? { hint: u.error.hint } : {}) })
          }
        }
      })
      const plan = await deps.scopes.forUser(user.id).subscription.getWithPlan()
      const worker = await deps.queue.worker({
        registry: registry(),
        bus,
        clock: deps.clock,
        logger: deps.logger,
        concurrency: Math.max(1, Math.min(4, input.maxParallel ?? 4, plan?.plan.max_concurrent_tasks ?? 1)),
        // The heartbeat is also when `tasks cancel` from another terminal is noticed: someone waits at that terminal.
        heartbeatMs: 2_000,
      })
      const scope = deps.scopes.forUser(user.id)
      const cancelAll = async () => {
        for (const id of ids) {
          if (worker.cancel(id)) continue
          // A task another live recflow run is processing stays that run's: Ctrl-C here stops this run only.
          const row = await scope.tasks.get(id).catch(() => undefined)
          if (row?.state === 'pending') await scope.tasks.requestCancel(id).catch(() => undefined)
        }
      }
      const onAbort = () => void cancelAll()
      control.signal?.addEventListener('abort', onAbort, { once: true })
      try {
        if (control.signal?.aborted) await cancelAll()
        await runAndWaitForOthers(worker, ids, { deps, user, emit, signal: control.signal })
      } finally {
        control.signal?.removeEventListener('abort', onAbort)
        unsubscribe()
      }
      const outcomes = await Promise.all(recordings.map(async (rec) => {
        const taskId = tasks.get(rec.id)
        return outcomeOf(rec, taskId === undefined ? undefined : await scope.tasks.get(taskId))
      }))
      return { sync: synced, recordings: outcomes, cancelled: control.signal?.aborted === true, dryRun }
    },
  }
}

export type RunService = ReturnType<typeof runService>

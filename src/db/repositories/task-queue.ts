import { sql } from 'kysely'
import { toJsonText } from '../codec.js'
import { inTransaction, type Executor } from '../transaction.js'
import { isId, toIso } from '../values.js'
import { taskCodec, type Task } from './tasks.js'

/*
 * The queue primitives a worker needs across users: claim with a lease, heartbeat, finish, retry, and recovery
 * of tasks whose worker died. Every transition is a single conditional UPDATE (state and lease owner in the
 * WHERE clause), so a worker that lost its lease can no longer touch the task.
 */

/** Narrows which tasks a worker takes (all given conditions apply). */
export interface QueueFilter {
  /** Only these task types (the ones this worker has handlers for). */
  types?: readonly string[]
  /** Only these tasks (a CLI run that processes what it enqueued, not everybody's backlog). */
  ids?: readonly number[]
  /** Only this user's tasks. */
  userId?: number
}

export interface ClaimOptions extends QueueFilter {
  /** Identifies the worker (host:pid:n); only the owner can heartbeat or finish the task. */
  owner: string
  leaseMs: number
  now?: Date
}

export type FinishedState = 'succeeded' | 'failed' | 'cancelled'

const plusMs = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString()

// An empty list matches nothing (not everything), so a worker without handlers never claims a task.
const matchesNothing = (filter: QueueFilter) => filter.types?.length === 0 || filter.ids?.length === 0

export function taskQueue(executor: Executor) {
  const transition = async (id: number, owner: string, values: Record<string, unknown>): Promise<Task | undefined> => {
    if (!isId(id)) return undefined
    const raw = await executor
      .updateTable('tasks')
      .set(values)
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('lease_owner', '=', owner)
      .returningAll()
      .executeTakeFirst()
    return raw === undefined ? undefined : taskCodec.decode(raw)
  }

  return {
    async get(id: number): Promise<Task | undefined> {
      if (!isId(id)) return undefined
      const raw = await executor.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst()
      return raw === undefined ? undefined : taskCodec.decode(raw)
    },

    /**
     * Takes the next due task (priority, then run_at, then id) whose user is below the plan's
     * max_concurrent_tasks (custom override first; NULL = unlimited; a user without a subscription gets 1).
     */
    claimNext: (opts: ClaimOptions): Promise<Task | undefined> =>
      inTransaction(executor, async (tx) => {
        const clock = opts.now ?? new Date()
        const now = clock.toISOString()
        if (matchesNothing(opts)) return undefined
        const candidate = await tx
          .selectFrom('tasks as t')
          .leftJoin('user_subscriptions as s', 's.user_id', 't.user_id')
          .leftJoin('subscription_plans as p', 'p.id', 's.plan_id')
          .select('t.id')
          .where('t.state', '=', 'pending')
          .where('t.run_at', '<=', now)
          .$if(opts.types !== undefined, (qb) => qb.where('t.type', 'in', [...(opts.types ?? [])]))
          .$if(opts.ids !== undefined, (qb) => qb.where('t.id', 'in', [...(opts.ids ?? [])]))
          .$if(opts.userId !== undefined, (qb) => qb.where('t.user_id', '=', opts.userId ?? 0))
          .where(({ eb, selectFrom }) => {
            const limit = sql<number | null>`coalesce(s.custom_max_concurrent_tasks, p.max_concurrent_tasks, case when s.id is null then 1 end)`
            const running = selectFrom('tasks as r')
              .select((e) => e.fn.countAll<number>().as('n'))
              .whereRef('r.user_id', '=', 't.user_id')
              .where('r.state', '=', 'running')
            return eb.or([eb(limit, 'is', null), eb(running, '<', limit)])
          })
          .orderBy('t.priority', 'desc')
          .orderBy('t.run_at', 'asc')
          .orderBy('t.id', 'asc')
          .limit(1)
          .executeTakeFirst()
        if (candidate === undefined) return undefined
        const raw = await tx
          .updateTable('tasks')
          .set((eb) => ({
            state: 'running',
            lease_owner: opts.owner,
            lease_expires_at: plusMs(clock, opts.leaseMs),
            heartbeat_at: now,
            started_at: now,
            attempts: eb('attempts', '+', 1),
            updated_at: now,
          }))
          .where('id', '=', candidate.id)
          .where('state', '=', 'pending')
          .returningAll()
          .executeTakeFirst()
        return raw === undefined ? undefined : taskCodec.decode(raw)
      }),

    /** Extends the lease. Returns the task (check `cancel_requested`), or undefined if the lease was lost. */
    heartbeat(id: number, owner: string, opts: { leaseMs: number; now?: Date }): Promise<Task | undefined> {
      const clock = opts.now ?? new Date()
      const now = clock.toISOString()
      return transition(id, owner, { lease_expires_at: plusMs(clock, opts.leaseMs), heartbeat_at: now, updated_at: now })
    },

    /** Ends the task and frees its dedupe key. */
    finish(
      id: number,
      owner: string,
      outcome: { state: FinishedState; result?: unknown; error?: unknown; now?: Date },
    ): Promise<Task | undefined> {
      const now = (outcome.now ?? new Date()).toISOString()
      return transition(id, owner, {
        state: outcome.state,
        ...(outcome.state === 'succeeded' && { progress: 100 }),
        result: outcome.result === undefined ? null : toJsonText('result', outcome.result),
        error: outcome.error === undefined ? null : toJsonText('error', outcome.error),
        dedupe_key: null,
        lease_owner: null,
        lease_expires_at: null,
        finished_at: now,
        updated_at: now,
      })
    },

    /**
     * Hands a running task back without counting the attempt (graceful shutdown: the work was interrupted, it did
     * not fail). It stays due at its old run_at, so it is first in line for the next worker.
     */
    release: (id: number, owner: string, opts: { now?: Date } = {}) =>
      transition(id, owner, {
        state: 'pending',
        attempts: sql<number>`case when attempts > 0 then attempts - 1 else 0 end`,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: (opts.now ?? new Date()).toISOString(),
      }),

    /** Pending tasks matching `filter`, soonest first (what a worker that ran out of due work is waiting for). */
    async listPending(filter: QueueFilter = {}, limit = 100): Promise<Task[]> {
      if (matchesNothing(filter)) return []
      const rows = await executor
        .selectFrom('tasks')
        .selectAll()
        .where('state', '=', 'pending')
        .$if(filter.types !== undefined, (qb) => qb.where('type', 'in', [...(filter.types ?? [])]))
        .$if(filter.ids !== undefined, (qb) => qb.where('id', 'in', [...(filter.ids ?? [])]))
        .$if(filter.userId !== undefined, (qb) => qb.where('user_id', '=', filter.userId ?? 0))
        .orderBy('run_at', 'asc')
        .orderBy('id', 'asc')
        .limit(limit)
        .execute()
      return rows.map((raw) => taskCodec.decode(raw))
    },

    /** Running tasks (of one user, when given), with their lease owners: what recovery looks at. */
    async listRunning(filter: { userId?: number } = {}): Promise<Task[]> {
      const rows = await executor
        .selectFrom('tasks')
        .selectAll()
        .where('state', '=', 'running')
        .$if(filter.userId !== undefined, (qb) => qb.where('user_id', '=', filter.userId ?? 0))
        .orderBy('id', 'asc')
        .execute()
      return rows.map((raw) => taskCodec.decode(raw))
    },

    /** Puts a failed attempt back in the queue to run again at `runAt` (backoff is the caller's decision). */
    retryLater: (id: number, owner: string, opts: { runAt: string | Date; error?: unknown; now?: Date }) =>
      transition(id, owner, {
        state: 'pending',
        run_at: toIso(opts.runAt, 'runAt'),
        error: opts.error === undefined ? null : toJsonText('error', opts.error),
        lease_owner: null,
        lease_expires_at: null,
        updated_at: (opts.now ?? new Date()).toISOString(),
      }),

    /**
     * Recovers tasks whose worker stopped heartbeating: cancelled if cancellation had been requested, else back to
     * pending. A worker that died (a crash, a SIGKILL, a power cut) did not fail the task: its attempt is given
     * back, so only failures a handler reported use attempts up. Returns how many tasks were recovered.
     */
    releaseExpiredLeases: (now?: Date): Promise<number> =>
      inTransaction(executor, async (tx) => {
        const time = (now ?? new Date()).toISOString()
        const expired = tx
          .updateTable('tasks')
          .where('state', '=', 'running')
          .where('lease_expires_at', '<', time)
        const base = { lease_owner: null, lease_expires_at: null, updated_at: time }
        const cancelled = await expired
          .set({ ...base, dedupe_key: null, finished_at: time, state: 'cancelled' })
          .where('cancel_requested', '=', 1)
          .executeTakeFirst()
        const requeued = await expired
          .set({ ...base, state: 'pending', run_at: time, attempts: sql<number>`case when attempts > 0 then attempts - 1 else 0 end` })
          .executeTakeFirst()
        return Number(cancelled.numUpdatedRows + requeued.numUpdatedRows)
      }),
  }
}

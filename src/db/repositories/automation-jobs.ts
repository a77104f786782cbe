import { RecflowError } from '../../domain/errors.js'
import { assertOwned } from '../assert-owned.js'
import { codec, type Decoded } from '../codec.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow } from '../schema.js'
import type { Executor } from '../transaction.js'
import { isId, nowIso, toIso } from '../values.js'

type JobJson = 'source_ids' | 'template_ids' | 'schedule' | 'sync_config' | 'processing_config'

/** A scheduled sync-and-process job. `source_ids`/`template_ids` are checked to be the user's own. */
export type AutomationJob = Decoded<RawRow<'automation_jobs'>, JobJson, 'is_active'>

export interface NewAutomationJob {
  name: string
  source_ids?: number[]
  template_ids?: number[]
  schedule: unknown
  sync_config?: unknown
  processing_config?: unknown
  is_active?: boolean
  next_run_at?: string | Date | null
}

export interface AutomationJobPatch extends Partial<NewAutomationJob> {
  last_run_at?: string | Date | null
}

const jobCodec = codec<AutomationJob>({
  writable: ['name', 'source_ids', 'template_ids', 'schedule', 'sync_config', 'processing_config', 'is_active', 'last_run_at', 'next_run_at'],
  json: ['source_ids', 'template_ids', 'schedule', 'sync_config', 'processing_config'],
  flags: ['is_active'],
  times: ['last_run_at', 'next_run_at'],
})

function idList(value: unknown, field: string): number[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || !value.every(isId)) {
    throw new RecflowError('validation', `${field} must be an array of ids`)
  }
  return value
}

export function automationJobRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'automation_jobs', jobCodec, 'automation job')

  const checkReferences = async (input: AutomationJobPatch) => {
    await assertOwned(executor, userId, 'input_sources', idList(input.source_ids, 'source_ids'))
    await assertOwned(executor, userId, 'recording_templates', idList(input.template_ids, 'template_ids'))
  }

  return {
    get: table.get,

    list: (filters: { activeOnly?: boolean } = {}, page?: PageRequest) =>
      table.pageById(page, 'asc', (qb) => (filters.activeOnly ? qb.where('is_active', '=', 1) : qb)),

    async create(input: NewAutomationJob): Promise<AutomationJob> {
      await checkReferences(input)
      return table.insert({ source_ids: [], template_ids: [], ...input })
    },

    async update(id: number, patch: AutomationJobPatch): Promise<AutomationJob | undefined> {
      await checkReferences(patch)
      return table.update(id, patch)
    },

    /** Active jobs count against the plan's max_automation_jobs. */
    async countActive(): Promise<number> {
      const row = await executor
        .selectFrom('automation_jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('is_active', '=', 1)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },

    remove: table.remove,

    /**
     * The scheduler's claim: moves an active job's next_run_at from `expected` (the value it read) to `next`, and
     * says whether this call did it. Two schedulers that read the same due time race here, and only one wins.
     */
    async advanceNextRun(id: number, expected: string, next: string | Date | null): Promise<boolean> {
      if (!isId(id)) return false
      const result = await executor
        .updateTable('automation_jobs')
        .set({ next_run_at: next === null ? null : toIso(next, 'next_run_at'), updated_at: nowIso() })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('is_active', '=', 1)
        .where('next_run_at', '=', toIso(expected, 'next_run_at'))
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
  }
}

/** The scheduler's scan: every user's active jobs that are due. */
export function dueJobLookup(executor: Executor) {
  return {
    async listDue(now: string | Date, limit = 100): Promise<AutomationJob[]> {
      const rows = await executor
        .selectFrom('automation_jobs')
        .selectAll()
        .where('is_active', '=', 1)
        .where('next_run_at', '<=', toIso(now, 'now'))
        .orderBy('next_run_at', 'asc')
        .orderBy('id', 'asc')
        .limit(limit)
        .execute()
      return rows.map((r) => jobCodec.decode(r))
    },

    /** The active job (of any user) that runs next, for `cron status`. */
    async nextScheduled(): Promise<AutomationJob | undefined> {
      const row = await executor
        .selectFrom('automation_jobs')
        .selectAll()
        .where('is_active', '=', 1)
        .where('next_run_at', 'is not', null)
        .orderBy('next_run_at', 'asc')
        .orderBy('id', 'asc')
        .executeTakeFirst()
      return row === undefined ? undefined : jobCodec.decode(row)
    },
  }
}

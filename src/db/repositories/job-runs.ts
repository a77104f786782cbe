import { assertOwned } from '../assert-owned.js'
import { codec, type Decoded } from '../codec.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow } from '../schema.js'
import type { Executor } from '../transaction.js'

/** One execution of an automation job. */
export type AutomationJobRun = Decoded<RawRow<'automation_job_runs'>, 'result'>

export interface NewAutomationJobRun {
  job_id: number
  status: string
  started_at?: string | Date
}

export interface AutomationJobRunPatch {
  status?: string
  finished_at?: string | Date | null
  result?: unknown
  error?: string | null
}

const runCodec = codec<AutomationJobRun>({
  writable: ['job_id', 'status', 'started_at', 'finished_at', 'result', 'error'],
  json: ['result'],
  times: ['started_at', 'finished_at'],
})
const patchColumns = ['status', 'finished_at', 'result', 'error'] as const

export function jobRunRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'automation_job_runs', runCodec, 'automation job run')

  return {
    get: table.get,

    /** Newest first. */
    list: (filters: { job_id?: number } = {}, page?: PageRequest) =>
      table.pageById(page, 'desc', (qb) => (filters.job_id !== undefined ? qb.where('job_id', '=', filters.job_id) : qb)),

    async create(input: NewAutomationJobRun): Promise<AutomationJobRun> {
      await assertOwned(executor, userId, 'automation_jobs', [input.job_id])
      return table.insert({ ...input, started_at: input.started_at ?? new Date() })
    },

    update: (id: number, patch: AutomationJobRunPatch) =>
      table.update(id, Object.fromEntries(patchColumns.map((k) => [k, patch[k]]))),

    remove: table.remove,
  }
}

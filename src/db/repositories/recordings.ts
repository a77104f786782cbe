import { assertOwned } from '../assert-owned.js'
import { codec, type Decoded } from '../codec.js'
import { guardWrite } from '../constraint-errors.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow, RecordingStatus } from '../schema.js'
import type { Executor } from '../transaction.js'
import { nowIso, toIso } from '../values.js'
import { listRecordings, listRecordingsJson, type RecordingFilters } from './recording-list.js'

export type Recording = Decoded<
  RawRow<'recordings'>,
  'processing_config_override',
  'is_mapped' | 'failed' | 'blank_record'
>

export interface NewRecording {
  input_source_id?: number | null
  template_id?: number | null
  display_name: string
  start_time: string | Date
  /** Float seconds. */
  duration?: number | null
  status?: RecordingStatus
  is_mapped?: boolean
  source_key?: string | null
  source_fingerprint?: string | null
  original_file?: string | null
  processed_file?: string | null
  /** Bytes (64-bit). */
  size_bytes?: number | null
  processing_config_override?: unknown
  blank_record?: boolean
  expire_at?: string | Date | null
}

export type RecordingPatch = Partial<NewRecording>

export interface SourcedRecording extends NewRecording {
  input_source_id: number
  source_key: string
}

export interface Failure {
  stage: string
  reason: string
  /** The last stable status to roll back to, if it changes. */
  status?: RecordingStatus
  at?: string | Date
}

const recordingCodec = codec<Recording>({
  writable: [
    'input_source_id',
    'template_id',
    'display_name',
    'start_time',
    'duration',
    'status',
    'is_mapped',
    'source_key',
    'source_fingerprint',
    'original_file',
    'processed_file',
    'size_bytes',
    'processing_config_override',
    'blank_record',
    'expire_at',
  ],
  json: ['processing_config_override'],
  flags: ['is_mapped', 'failed', 'blank_record'],
  bytes: ['size_bytes'],
  times: ['start_time', 'expire_at'],
})

export function recordingRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'recordings', recordingCodec, 'recording')

  const checkReferences = async (input: RecordingPatch) => {
    if (input.input_source_id != null) await assertOwned(executor, userId, 'input_sources', [input.input_source_id])
    if (input.template_id != null) await assertOwned(executor, userId, 'recording_templates', [input.template_id])
  }

  return {
    get: table.get,
    list: (filters: RecordingFilters = {}, page?: PageRequest) =>
      listRecordings(executor, userId, recordingCodec, filters, page),
    /** The user's recordings change counter: any write to them, by any process, moves it (0 before the first). */
    async listVersion(): Promise<number> {
      const row = await executor.selectFrom('recording_list_versions').select('version').where('user_id', '=', userId).executeTakeFirst()
      return row === undefined ? 0 : Number(row.version)
    },
    /** The same page as `list`, as JSON text of recording summaries (the daemon's list route). */
    listJson: (filters: RecordingFilters = {}, page?: PageRequest) => listRecordingsJson(executor, userId, filters, page),

    async create(input: NewRecording): Promise<Recording> {
      await checkReferences(input)
      return table.insert(input)
    },

    async update(id: number, patch: RecordingPatch): Promise<Recording | undefined> {
      await checkReferences(patch)
      return table.update(id, patch)
    },

    remove: table.remove,

    /**
     * Every recording of one source, soft-deleted ones included, in one query: what a sync compares the folder
     * with. (Paging 10,000 recordings 100 at a time cost a no-change sync most of its second.)
     */
    allFromSource: (sourceId: number): Promise<Recording[]> => table.allById((qb) => qb.where('input_source_id', '=', sourceId)),

    /**
     * Inserts the recording a source reported unless (input_source_id, source_key) already exists, in which case
     * the existing row is returned untouched: re-syncing never duplicates and never resets progress.
     */
    async upsertFromSource(input: SourcedRecording): Promise<{ recording: Recording; created: boolean }> {
      await checkReferences(input)
      const now = nowIso()
      const inserted = await guardWrite('recording', () =>
        executor
          .insertInto('recordings')
          .values({
            ...(recordingCodec.encode(input) as { display_name: string; start_time: string }),
            user_id: userId,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.columns(['user_id', 'input_source_id', 'source_key']).doNothing())
          .returningAll()
          .executeTakeFirst(),
      )
      if (inserted !== undefined) return { recording: recordingCodec.decode(inserted), created: true }
      const existing = await executor
        .selectFrom('recordings')
        .selectAll()
        .where('user_id', '=', userId)
        .where('input_source_id', '=', input.input_source_id)
        .where('source_key', '=', input.source_key)
        .executeTakeFirstOrThrow()
      return { recording: recordingCodec.decode(existing), created: false }
    },

    setStatus: (id: number, status: RecordingStatus) => table.update(id, { status }),

    markFailed: (id: number, failure: Failure) =>
      table.update(id, failure.status === undefined ? {} : { status: failure.status }, {
        failed: 1,
        failed_stage: failure.stage,
        failed_reason: failure.reason,
        failed_at: toIso(failure.at ?? new Date(), 'failed_at'),
      }),

    clearFailure: (id: number) =>
      table.update(id, {}, { failed: 0, failed_stage: null, failed_reason: null, failed_at: null }),

    /** Maps the recording to a template (or unmaps it with null). */
    async setMapping(id: number, templateId: number | null): Promise<Recording | undefined> {
      await checkReferences({ template_id: templateId })
      return table.update(id, { template_id: templateId, is_mapped: templateId !== null })
    },

    /** Soft delete: hidden from lists until restored; media cleanup may follow at `expire_at`. */
    markDeleted: (id: number, opts: { at?: string | Date; expire_at?: string | Date | null } = {}) =>
      table.update(id, { expire_at: opts.expire_at }, { deleted_at: toIso(opts.at ?? new Date(), 'deleted_at') }),

    restore: (id: number) => table.update(id, {}, { deleted_at: null }),
  }
}

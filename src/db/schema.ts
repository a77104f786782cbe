import type { RecordingStatus, StageStatus, StageType, TargetStatus } from '../domain/status/statuses.js'
import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

/*
 * Storage types, exactly as the columns hold them. Repositories decode them for callers (src/db/codec.ts):
 * `JsonText` -> parsed value (`unknown`), `Flag` (0/1) -> boolean, `Bytes` -> checked safe integer.
 */

/** UTC ISO-8601 text, always written as `Date#toISOString()` so it sorts chronologically as text. */
export type IsoTime = string
/** JSON serialized as text (JSONB in a later PostgreSQL mode). */
export type JsonText = string
/** 0 or 1. SQLite has no boolean and better-sqlite3 cannot bind one. */
export type Flag = number
/** A 64-bit integer byte count. JavaScript numbers are exact up to 2^53, which covers any file. */
export type Bytes = number
/** Float seconds. */
export type Seconds = number

interface Timestamps {
  created_at: IsoTime
  updated_at: IsoTime
}

export interface UsersTable extends Timestamps {
  id: Generated<number>
  email: string
  password_hash: string | null
  full_name: string | null
  timezone: Generated<string>
  role: Generated<UserRole>
  permissions: Generated<JsonText>
  is_active: Generated<Flag>
  last_login_at: IsoTime | null
}

export interface RefreshTokensTable extends Timestamps {
  id: Generated<number>
  user_id: number
  token_hash: string
  family_id: string
  expires_at: IsoTime
  revoked_at: IsoTime | null
  replaced_by: number | null
}

export interface UserCredentialsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  platform: string
  account_name: string
  encrypted_data: string
  key_id: string
  expires_at: IsoTime | null
  status: Generated<string>
  /** YouTube quota exhausted for this credential until then (midnight Pacific); null when not known to be. */
  quota_blocked_until: IsoTime | null
}

export interface UserConfigsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  config: Generated<JsonText>
}

export interface SubscriptionPlansTable extends Timestamps {
  id: Generated<number>
  name: string
  display_name: string
  included_recordings_per_month: number | null
  included_storage_bytes: Bytes | null
  max_concurrent_tasks: number | null
  max_automation_jobs: number | null
  min_automation_interval_hours: number | null
  price_monthly_cents: number | null
  overage_price_per_recording_cents: number | null
  is_active: Generated<Flag>
}

export interface UserSubscriptionsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  plan_id: number
  custom_recordings_per_month: number | null
  custom_storage_bytes: Bytes | null
  custom_max_concurrent_tasks: number | null
  custom_max_automation_jobs: number | null
  custom_min_automation_interval_hours: number | null
  pay_as_you_go_enabled: Generated<Flag>
  starts_at: IsoTime
  expires_at: IsoTime | null
}

export interface QuotaUsageTable extends Timestamps {
  id: Generated<number>
  user_id: number
  /** UTC month, `YYYYMM`. */
  period: string
  recordings_count: Generated<number>
  storage_bytes: Generated<Bytes>
  overage_recordings: Generated<number>
  overage_cost_cents: Generated<number>
}

export interface QuotaChangeHistoryTable extends Timestamps {
  id: Generated<number>
  user_id: number
  changed_by: number | null
  change_type: string
  old_value: JsonText | null
  new_value: JsonText | null
  notes: string | null
}

/** A recording counted against its user's monthly allowance, once per period (migration 0007). */
export interface QuotaCountedRecordingsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  /** UTC month, `YYYYMM`. */
  period: string
  /** Not a foreign key: a deleted recording still counted in its month. */
  recording_id: number
  /** > 0 when counted over the allowance under pay-as-you-go. */
  overage_cost_cents: Generated<number>
}

/** A recording's media as last measured, so storage follows writes and deletions by differences (migration 0007). */
export interface QuotaRecordingStorageTable extends Timestamps {
  id: Generated<number>
  user_id: number
  recording_id: number
  bytes: Generated<Bytes>
}

export interface InputSourcesTable extends Timestamps {
  id: Generated<number>
  user_id: number
  name: string
  platform: SourcePlatform
  credential_id: number | null
  config: Generated<JsonText>
  is_active: Generated<Flag>
  last_synced_at: IsoTime | null
}

export interface RecordingsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  input_source_id: number | null
  template_id: number | null
  display_name: string
  start_time: IsoTime
  duration: Seconds | null
  status: Generated<RecordingStatus>
  is_mapped: Generated<Flag>
  failed: Generated<Flag>
  failed_stage: string | null
  failed_reason: string | null
  failed_at: IsoTime | null
  source_key: string | null
  source_fingerprint: string | null
  original_file: string | null
  processed_file: string | null
  size_bytes: Bytes | null
  processing_config_override: JsonText | null
  blank_record: Generated<Flag>
  deleted_at: IsoTime | null
  expire_at: IsoTime | null
}

export interface SourceMetadataTable extends Timestamps {
  id: Generated<number>
  user_id: number
  recording_id: number
  input_source_id: number | null
  metadata: JsonText
}

export interface RecordingTemplatesTable extends Timestamps {
  id: Generated<number>
  user_id: number
  name: string
  description: string | null
  matching_rules: Generated<JsonText>
  processing_config: Generated<JsonText>
  metadata_config: Generated<JsonText>
  output_config: Generated<JsonText>
  is_draft: Generated<Flag>
  is_active: Generated<Flag>
  used_count: Generated<number>
  last_used_at: IsoTime | null
}

export interface OutputPresetsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  name: string
  description: string | null
  platform: PresetPlatform
  credential_id: number | null
  preset_metadata: Generated<JsonText>
  is_active: Generated<Flag>
}

export interface OutputTargetsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  recording_id: number
  preset_id: number | null
  target_type: string
  status: Generated<TargetStatus>
  target_meta: JsonText | null
  failed_reason: string | null
  uploaded_at: IsoTime | null
  /** The file this target reserved in a folder destination; unique across all targets. */
  published_path: string | null
}

export interface ProcessingStagesTable extends Timestamps {
  id: Generated<number>
  user_id: number
  recording_id: number
  stage_type: StageType
  status: Generated<StageStatus>
  failed_reason: string | null
  skip_reason: string | null
  stage_meta: JsonText | null
  started_at: IsoTime | null
  completed_at: IsoTime | null
  attempts: Generated<number>
}

export interface TopicSetsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  recording_id: number
  version: number
  is_active: Generated<Flag>
  main_topic: string
  summary: string
  /** [{title, start}], start in seconds of the processed video. */
  topics: JsonText
  provider: string
  model: string
  granularity: string
  meta: JsonText | null
}

export interface AutomationJobsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  name: string
  source_ids: Generated<JsonText>
  template_ids: Generated<JsonText>
  schedule: JsonText
  sync_config: Generated<JsonText>
  processing_config: Generated<JsonText>
  is_active: Generated<Flag>
  last_run_at: IsoTime | null
  next_run_at: IsoTime | null
}

export interface AutomationJobRunsTable extends Timestamps {
  id: Generated<number>
  user_id: number
  job_id: number
  started_at: IsoTime
  finished_at: IsoTime | null
  status: string
  result: JsonText | null
  error: string | null
}

export interface TasksTable extends Timestamps {
  id: Generated<number>
  user_id: number
  type: string
  payload: Generated<JsonText>
  state: Generated<TaskState>
  dedupe_key: string | null
  priority: Generated<number>
  attempts: Generated<number>
  max_attempts: Generated<number>
  run_at: IsoTime
  lease_owner: string | null
  lease_expires_at: IsoTime | null
  heartbeat_at: IsoTime | null
  /** 0-100. */
  progress: Generated<number>
  stage: string | null
  message: string | null
  result: JsonText | null
  error: JsonText | null
  recording_id: number | null
  cancel_requested: Generated<Flag>
  started_at: IsoTime | null
  finished_at: IsoTime | null
}

export interface TaskEventsTable {
  id: Generated<number>
  user_id: number
  task_id: number
  at: IsoTime
  kind: string
  progress: number | null
  stage: string | null
  message: string | null
  data: JsonText | null
}

/** Each user's recordings change counter, kept by triggers (migrations/0008_recording_list_versions.ts). */
export interface RecordingListVersionsTable {
  user_id: number
  version: number
}

export interface DB {
  users: UsersTable
  refresh_tokens: RefreshTokensTable
  user_credentials: UserCredentialsTable
  user_configs: UserConfigsTable
  subscription_plans: SubscriptionPlansTable
  user_subscriptions: UserSubscriptionsTable
  quota_usage: QuotaUsageTable
  quota_change_history: QuotaChangeHistoryTable
  quota_counted_recordings: QuotaCountedRecordingsTable
  quota_recording_storage: QuotaRecordingStorageTable
  input_sources: InputSourcesTable
  recordings: RecordingsTable
  source_metadata: SourceMetadataTable
  recording_templates: RecordingTemplatesTable
  output_presets: OutputPresetsTable
  output_targets: OutputTargetsTable
  processing_stages: ProcessingStagesTable
  topic_sets: TopicSetsTable
  automation_jobs: AutomationJobsTable
  automation_job_runs: AutomationJobRunsTable
  tasks: TasksTable
  task_events: TaskEventsTable
  recording_list_versions: RecordingListVersionsTable
}

export type TableName = keyof DB
/** Tables whose rows belong to one user (a `user_id` column bound by `forUser`). */
export type OwnedTableName = Exclude<TableName, 'users' | 'subscription_plans' | 'recording_list_versions'>

/** Raw rows as stored. Callers normally see the decoded types exported by the repositories. */
export type RawRow<T extends TableName> = Selectable<DB[T]>
export type NewRawRow<T extends TableName> = Insertable<DB[T]>
export type RawRowPatch<T extends TableName> = Updateable<DB[T]>

export type UserRole = 'user' | 'admin'
export type SourcePlatform = 'zoom' | 'local'
export type PresetPlatform = 'youtube' | 'vk' | 'local'

// One source of truth for the status vocabularies: the domain's FSM module (the frozen migration keeps its own
// copy in its CHECK constraints, as migrations must).
export {
  RECORDING_STATUSES,
  STAGE_STATUSES,
  STAGE_TYPES,
  TARGET_STATUSES,
  type RecordingStatus,
  type StageStatus,
  type StageType,
  type TargetStatus,
} from '../domain/status/statuses.js'
export const TASK_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const
export type TaskState = (typeof TASK_STATES)[number]
export const FINISHED_TASK_STATES = ['succeeded', 'failed', 'cancelled'] as const satisfies readonly TaskState[]

import { PostgresIntrospector, sql, type CreateTableBuilder, type Kysely } from 'kysely'

/*
 * The initial schema. Frozen: later changes go into new numbered migrations, never here.
 *
 * Portability rules (a PostgreSQL mode follows): schema builder only; times are UTC ISO text; JSON is text;
 * flags are INTEGER 0/1 (repositories map them to booleans); byte sizes are BIGINT (INTEGER affinity in SQLite);
 * durations are DOUBLE PRECISION seconds. No SQL defaults for timestamps: repositories set them.
 *
 * Tenancy: every owned table carries `user_id` and has UNIQUE(user_id, id) so that its children can reference it
 * through `(user_id, parent_id)`. A child can then never point at another user's row, whatever the code does.
 */

type Table = CreateTableBuilder<string, string>

const oneOf = (column: string, values: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`

function table(db: Kysely<any>, name: string): Table {
  // Postgres has no AUTOINCREMENT; identity columns are its equivalent. SQLite's AUTOINCREMENT keeps ids from
  // being reused after a delete, so a stale id never lands on somebody else's new row.
  const postgres = db.introspection instanceof PostgresIntrospector
  return db.schema
    .createTable(name)
    .addColumn('id', 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
}

/** An owned table: user_id -> users, and UNIQUE(user_id, id) for its children's composite keys. */
const owned = (db: Kysely<any>, name: string): Table =>
  table(db, name)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addUniqueConstraint(`${name}_user_id_id_unique`, ['user_id', 'id'])

const timestamps = (t: Table): Table =>
  t.addColumn('created_at', 'text', (c) => c.notNull()).addColumn('updated_at', 'text', (c) => c.notNull())

const flag =
  (name: string, initial: 0 | 1) =>
  (t: Table): Table =>
    t.addColumn(name, 'integer', (c) => c.notNull().defaultTo(initial).check(sql`${sql.ref(name)} in (0, 1)`))

/** FOREIGN KEY (user_id, column) REFERENCES parent (user_id, id): a child can only point at its owner's rows. */
const childOf =
  (name: string, column: string, parent: string, onDelete?: 'cascade') =>
  (t: Table): Table =>
    t.addForeignKeyConstraint(`${name}_${column}_fk`, ['user_id', column], parent, ['user_id', 'id'], (fk) =>
      onDelete === undefined ? fk : fk.onDelete(onDelete),
    )

const RECORDING_STATUSES = [
  'INITIALIZED', 'SKIPPED', 'DOWNLOADING', 'DOWNLOADED', 'PROCESSING', 'PROCESSED',
  'TRANSCRIBING', 'TRANSCRIBED', 'UPLOADING', 'UPLOADED', 'READY', 'EXPIRED',
]
const STAGE_TYPES = ['DOWNLOAD', 'PROCESS', 'TRANSCRIBE', 'EXTRACT_TOPICS', 'GENERATE_SUBTITLES']
const STAGE_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'SKIPPED']
const TARGET_STATUSES = ['NOT_UPLOADED', 'UPLOADING', 'UPLOADED', 'FAILED']
const TASK_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled']

type Limit = number | null
/**
 * The pricing table, as published. NULL limit = unlimited, 0 = forbidden; NULL price = custom, NULL overage = none.
 * Columns: name, display name, recordings/month, storage GiB, concurrent tasks, automation jobs,
 * min automation interval (h), price/month (cents), overage per recording (cents).
 */
const PLANS: Array<[string, string, Limit, Limit, number, Limit, Limit, Limit, Limit]> = [
  ['free', 'Free', 10, 5, 1, 0, null, 0, 50],
  ['plus', 'Plus', 50, 25, 2, 3, 6, 1000, 40],
  ['pro', 'Pro', 200, 100, 5, 10, 1, 3000, 30],
  ['enterprise', 'Enterprise', null, null, 10, null, 1, null, null],
]
const GIB = 1024 ** 3

export async function up(db: Kysely<any>): Promise<void> {
  await table(db, 'users')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('full_name', 'text')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('user').check(oneOf('role', ['user', 'admin'])))
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('{}'))
    .$call(flag('is_active', 1))
    .addColumn('last_login_at', 'text')
    .$call(timestamps)
    .execute()

  await table(db, 'subscription_plans')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('included_recordings_per_month', 'integer')
    .addColumn('included_storage_bytes', 'bigint')
    .addColumn('max_concurrent_tasks', 'integer')
    .addColumn('max_automation_jobs', 'integer')
    .addColumn('min_automation_interval_hours', 'integer')
    .addColumn('price_monthly_cents', 'integer')
    .addColumn('overage_price_per_recording_cents', 'integer')
    .$call(flag('is_active', 1))
    .$call(timestamps)
    .execute()

  await owned(db, 'refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    // The token that replaced this one. Not a foreign key, so expired tokens can be purged in any order.
    .addColumn('replaced_by', 'integer')
    .$call(timestamps)
    .execute()

  await owned(db, 'user_credentials')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('encrypted_data', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addUniqueConstraint('user_credentials_account_unique', ['user_id', 'platform', 'account_name'])
    .$call(timestamps)
    .execute()

  await table(db, 'user_configs')
    .addColumn('user_id', 'integer', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
    .$call(timestamps)
    .execute()

  await table(db, 'user_subscriptions')
    .addColumn('user_id', 'integer', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('subscription_plans.id'))
    .addColumn('custom_recordings_per_month', 'integer')
    .addColumn('custom_storage_bytes', 'bigint')
    .addColumn('custom_max_concurrent_tasks', 'integer')
    .addColumn('custom_max_automation_jobs', 'integer')
    .addColumn('custom_min_automation_interval_hours', 'integer')
    .$call(flag('pay_as_you_go_enabled', 0))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .$call(timestamps)
    .execute()

  await owned(db, 'quota_usage')
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('recordings_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('storage_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('overage_recordings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overage_cost_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('quota_usage_period_unique', ['user_id', 'period'])
    .$call(timestamps)
    .execute()

  await owned(db, 'quota_change_history')
    .addColumn('changed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('change_type', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('notes', 'text')
    .$call(timestamps)
    .execute()

  await owned(db, 'input_sources')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull().check(oneOf('platform', ['zoom', 'local'])))
    .addColumn('credential_id', 'integer')
    .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
    .$call(flag('is_active', 1))
    .addColumn('last_synced_at', 'text')
    .addUniqueConstraint('input_sources_name_unique', ['user_id', 'name'])
    .$call(childOf('input_sources', 'credential_id', 'user_credentials'))
    .$call(timestamps)
    .execute()

  await owned(db, 'recording_templates')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('matching_rules', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('processing_config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('metadata_config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('output_config', 'text', (c) => c.notNull().defaultTo('{}'))
    .$call(flag('is_draft', 0))
    .$call(flag('is_active', 1))
    .addColumn('used_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_used_at', 'text')
    .addUniqueConstraint('recording_templates_name_unique', ['user_id', 'name'])
    .$call(timestamps)
    .execute()

  await owned(db, 'output_presets')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('platform', 'text', (c) => c.notNull().check(oneOf('platform', ['youtube', 'vk', 'local'])))
    .addColumn('credential_id', 'integer')
    .addColumn('preset_metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .$call(flag('is_active', 1))
    .addUniqueConstraint('output_presets_name_unique', ['user_id', 'name'])
    .$call(childOf('output_presets', 'credential_id', 'user_credentials'))
    .$call(timestamps)
    .execute()

  await owned(db, 'recordings')
    .addColumn('input_source_id', 'integer')
    .addColumn('template_id', 'integer')
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('duration', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('INITIALIZED').check(oneOf('status', RECORDING_STATUSES)))
    .$call(flag('is_mapped', 0))
    .$call(flag('failed', 0))
    .addColumn('failed_stage', 'text')
    .addColumn('failed_reason', 'text')
    .addColumn('failed_at', 'text')
    .addColumn('source_key', 'text')
    .addColumn('source_fingerprint', 'text')
    .addColumn('original_file', 'text')
    .addColumn('processed_file', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('processing_config_override', 'text')
    .$call(flag('blank_record', 0))
    .addColumn('deleted_at', 'text')
    .addColumn('expire_at', 'text')
    // Re-sync never duplicates. Rows without a source (NULL) are outside this rule on purpose.
    .addUniqueConstraint('recordings_source_key_unique', ['user_id', 'input_source_id', 'source_key'])
    .$call(childOf('recordings', 'input_source_id', 'input_sources'))
    .$call(childOf('recordings', 'template_id', 'recording_templates'))
    .$call(timestamps)
    .execute()

  await owned(db, 'source_metadata')
    .addColumn('recording_id', 'integer', (c) => c.notNull())
    .addColumn('input_source_id', 'integer')
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addUniqueConstraint('source_metadata_recording_unique', ['user_id', 'recording_id'])
    .$call(childOf('source_metadata', 'recording_id', 'recordings', 'cascade'))
    .$call(childOf('source_metadata', 'input_source_id', 'input_sources'))
    .$call(timestamps)
    .execute()

  await owned(db, 'output_targets')
    .addColumn('recording_id', 'integer', (c) => c.notNull())
    .addColumn('preset_id', 'integer')
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('NOT_UPLOADED').check(oneOf('status', TARGET_STATUSES)))
    .addColumn('target_meta', 'text')
    .addColumn('failed_reason', 'text')
    .addColumn('uploaded_at', 'text')
    .addUniqueConstraint('output_targets_preset_unique', ['user_id', 'recording_id', 'preset_id'])
    .$call(childOf('output_targets', 'recording_id', 'recordings', 'cascade'))
    .$call(childOf('output_targets', 'preset_id', 'output_presets'))
    .$call(timestamps)
    .execute()

  await owned(db, 'processing_stages')
    .addColumn('recording_id', 'integer', (c) => c.notNull())
    .addColumn('stage_type', 'text', (c) => c.notNull().check(oneOf('stage_type', STAGE_TYPES)))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('PENDING').check(oneOf('status', STAGE_STATUSES)))
    .addColumn('failed_reason', 'text')
    .addColumn('skip_reason', 'text')
    .addColumn('stage_meta', 'text')
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('processing_stages_type_unique', ['user_id', 'recording_id', 'stage_type'])
    .$call(childOf('processing_stages', 'recording_id', 'recordings', 'cascade'))
    .$call(timestamps)
    .execute()

  await owned(db, 'automation_jobs')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('template_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('sync_config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('processing_config', 'text', (c) => c.notNull().defaultTo('{}'))
    .$call(flag('is_active', 1))
    .addColumn('last_run_at', 'text')
    .addColumn('next_run_at', 'text')
    .addUniqueConstraint('automation_jobs_name_unique', ['user_id', 'name'])
    .$call(timestamps)
    .execute()

  await owned(db, 'automation_job_runs')
    .addColumn('job_id', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .$call(childOf('automation_job_runs', 'job_id', 'automation_jobs', 'cascade'))
    .$call(timestamps)
    .execute()

  await owned(db, 'tasks')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(oneOf('state', TASK_STATES)))
    // Plain (not partial) uniqueness, for portability: the queue sets dedupe_key to NULL when a task finishes, which
    // frees the key. Scoped by user so that one tenant's key can never collide with, or reveal, another's.
    .addColumn('dedupe_key', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('stage', 'text')
    .addColumn('message', 'text')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('recording_id', 'integer')
    .$call(flag('cancel_requested', 0))
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('tasks_dedupe_key_unique', ['user_id', 'dedupe_key'])
    .$call(childOf('tasks', 'recording_id', 'recordings', 'cascade'))
    .$call(timestamps)
    .execute()

  // Append-only: `at` is its only time.
  await owned(db, 'task_events')
    .addColumn('task_id', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('progress', 'double precision')
    .addColumn('stage', 'text')
    .addColumn('message', 'text')
    .addColumn('data', 'text')
    .$call(childOf('task_events', 'task_id', 'tasks', 'cascade'))
    .execute()

  const indexes: Array<[string, string, string[]]> = [
    ['refresh_tokens_family_idx', 'refresh_tokens', ['user_id', 'family_id']],
    ['input_sources_credential_idx', 'input_sources', ['user_id', 'credential_id']],
    ['output_presets_credential_idx', 'output_presets', ['user_id', 'credential_id']],
    ['recording_templates_created_idx', 'recording_templates', ['user_id', 'created_at', 'id']],
    ['recordings_status_idx', 'recordings', ['user_id', 'status']],
    ['recordings_start_time_idx', 'recordings', ['user_id', 'start_time', 'id']],
    ['recordings_template_idx', 'recordings', ['user_id', 'template_id']],
    ['source_metadata_source_idx', 'source_metadata', ['user_id', 'input_source_id']],
    ['output_targets_preset_idx', 'output_targets', ['user_id', 'preset_id']],
    ['automation_jobs_due_idx', 'automation_jobs', ['is_active', 'next_run_at']],
    ['automation_job_runs_job_idx', 'automation_job_runs', ['user_id', 'job_id', 'id']],
    ['tasks_claim_idx', 'tasks', ['state', 'run_at']],
    ['tasks_user_state_idx', 'tasks', ['user_id', 'state']],
    ['tasks_recording_idx', 'tasks', ['user_id', 'recording_id']],
    ['task_events_task_idx', 'task_events', ['user_id', 'task_id', 'id']],
  ]
  for (const [name, on, columns] of indexes) {
    await db.schema.createIndex(name).on(on).columns(columns).execute()
  }

  const now = new Date().toISOString()
  await db
    .insertInto('subscription_plans')
    .values(
      PLANS.map(([name, display_name, recordings, storageGib, tasks, jobs, intervalHours, price, overage]) => ({
        name,
        display_name,
        included_recordings_per_month: recordings,
        included_storage_bytes: storageGib === null ? null : storageGib * GIB,
        max_concurrent_tasks: tasks,
        max_automation_jobs: jobs,
        min_automation_interval_hours: intervalHours,
        price_monthly_cents: price,
        overage_price_per_recording_cents: overage,
        is_active: 1,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Children before parents.
  const tables = [
    'task_events', 'tasks', 'automation_job_runs', 'automation_jobs', 'processing_stages', 'output_targets',
    'source_metadata', 'recordings', 'output_presets', 'recording_templates', 'input_sources',
    'quota_change_history', 'quota_usage', 'user_subscriptions', 'user_configs', 'user_credentials',
    'refresh_tokens', 'subscription_plans', 'users',
  ]
  for (const name of tables) await db.schema.dropTable(name).execute()
}

import { PostgresIntrospector, type CreateTableBuilder, type Kysely } from 'kysely'

/*
 * The quota ledger. quota_counted_recordings: which recordings were counted in which UTC month (one row per user,
 * period and recording, so a retry, resume or second run in the same month never counts again), with the
 * overage cost when it was counted over the allowance under pay-as-you-go. quota_recording_storage: the bytes
 * each recording's media was last measured at, so storage follows writes and deletions by differences.
 * No foreign key to recordings: a deleted recording still counted in its month.
 */

function owned(db: Kysely<any>, name: string): CreateTableBuilder<string, string> {
  const postgres = db.introspection instanceof PostgresIntrospector
  return db.schema
    .createTable(name)
    .addColumn('id', 'integer', (col) => (postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement()))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addUniqueConstraint(`${name}_user_id_id_unique`, ['user_id', 'id'])
}

export async function up(db: Kysely<any>): Promise<void> {
  await owned(db, 'quota_counted_recordings')
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('recording_id', 'integer', (c) => c.notNull())
    .addColumn('overage_cost_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quota_counted_recordings_unique', ['user_id', 'period', 'recording_id'])
    .execute()

  await owned(db, 'quota_recording_storage')
    .addColumn('recording_id', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quota_recording_storage_unique', ['user_id', 'recording_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quota_recording_storage').execute()
  await db.schema.dropTable('quota_counted_recordings').execute()
}

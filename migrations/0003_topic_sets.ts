import { PostgresIntrospector, sql, type Kysely } from 'kysely'

/*
 * Topic sets: what EXTRACT_TOPICS found in a recording (main topic, summary, topics with start times in the
 * processed video's timeline). Every extraction adds a version; exactly one version per recording is active (the
 * one presets render and chapters come from), kept so by a partial unique index. A child of its recording
 * through (user_id, recording_id), like every owned child: it can never point at another user's recording.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.introspection instanceof PostgresIntrospector
  await db.schema
    .createTable('topic_sets')
    .addColumn('id', 'integer', (c) => (postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('recording_id', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(0).check(sql`is_active in (0, 1)`))
    .addColumn('main_topic', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('granularity', 'text', (c) => c.notNull())
    .addColumn('meta', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('topic_sets_user_id_id_unique', ['user_id', 'id'])
    .addUniqueConstraint('topic_sets_version_unique', ['user_id', 'recording_id', 'version'])
    .addForeignKeyConstraint('topic_sets_recording_id_fk', ['user_id', 'recording_id'], 'recordings', ['user_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()
  await db.schema
    .createIndex('topic_sets_one_active')
    .on('topic_sets')
    .columns(['user_id', 'recording_id'])
    .unique()
    .where(sql.ref('is_active'), '=', 1)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('topic_sets').execute()
}

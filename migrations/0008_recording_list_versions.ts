import { PostgresIntrospector, sql, type Kysely } from 'kysely'

/*
 * A change counter per user's recordings, kept by the database itself: every insert, update or delete of a
 * recording, by any process (the daemon, its worker, the CLI on the same file), bumps its user's version in the
 * same transaction. The daemon answers a recordings page from memory while the version it was made at is still
 * the user's version (src/services/recordings.ts).
 *
 * No foreign key to users: deleting a user cascades to their recordings, whose triggers then write this row after
 * the user is gone, which a foreign key would refuse. A deleted user's row is harmless: user ids are
 * AUTOINCREMENT, never given again, so no later user can inherit a version.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recording_list_versions')
    .addColumn('user_id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute()
  if (db.introspection instanceof PostgresIntrospector) {
    await sql`CREATE FUNCTION recording_list_version_bump() RETURNS trigger AS $$
      BEGIN
        INSERT INTO recording_list_versions (user_id, version) VALUES (COALESCE(NEW.user_id, OLD.user_id), 1)
          ON CONFLICT (user_id) DO UPDATE SET version = recording_list_versions.version + 1;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`.execute(db)
    await sql`CREATE TRIGGER recordings_list_version AFTER INSERT OR UPDATE OR DELETE ON recordings
      FOR EACH ROW EXECUTE FUNCTION recording_list_version_bump()`.execute(db)
    return
  }
  for (const [event, row] of [['INSERT', 'NEW'], ['UPDATE', 'NEW'], ['DELETE', 'OLD']] as const) {
    await sql`CREATE TRIGGER ${sql.raw(`recordings_list_version_${event.toLowerCase()}`)} AFTER ${sql.raw(event)} ON recordings
      BEGIN
        INSERT INTO recording_list_versions (user_id, version) VALUES (${sql.raw(row)}.user_id, 1)
          ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
      END`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.introspection instanceof PostgresIntrospector) {
    await sql`DROP TRIGGER IF EXISTS recordings_list_version ON recordings`.execute(db)
    await sql`DROP FUNCTION IF EXISTS recording_list_version_bump()`.execute(db)
  } else {
    for (const event of ['insert', 'update', 'delete']) await sql`DROP TRIGGER IF EXISTS ${sql.raw(`recordings_list_version_${event}`)}`.execute(db)
  }
  await db.schema.dropTable('recording_list_versions').execute()
}

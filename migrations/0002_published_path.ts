import type { Kysely } from 'kysely'

/*
 * A file a folder target publishes is reserved in the database before a byte of it is placed: one target per
 * destination path (a UNIQUE column, across users: a path on this machine is one file whoever publishes it), so
 * two recordings whose names render the same can never end up in one file, and a retry never takes over a path
 * another target holds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('output_targets').addColumn('published_path', 'text').execute()
  await db.schema.createIndex('output_targets_published_path_unique').on('output_targets').column('published_path').unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('output_targets_published_path_unique').execute()
  await db.schema.alterTable('output_targets').dropColumn('published_path').execute()
}

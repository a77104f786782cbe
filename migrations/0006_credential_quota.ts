import { sql, type Kysely } from 'kysely'

/*
 * A platform credential's quota stop: YouTube answers quotaExceeded / uploadLimitExceeded until midnight Pacific,
 * and every later call before then is wasted (and counted). The publish step writes the reset time here and skips
 * that credential's YouTube targets until it passes; null when nothing is known.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_credentials').addColumn('quota_blocked_until', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE user_credentials DROP COLUMN quota_blocked_until`.execute(db)
}

import type { Kysely } from 'kysely'

/*
 * Folder presets: `copy_subtitles` becomes `captions` (one word with the `--captions/--no-captions` flag and
 * `upload.captions`), and now covers the chapters track too. Rewritten row by row in JavaScript rather than with
 * a JSON function of one SQL dialect.
 */
async function renameKey(db: Kysely<any>, from: string, to: string): Promise<void> {
  const rows = await db.selectFrom('output_presets').select(['id', 'preset_metadata']).where('platform', '=', 'local').execute()
  for (const row of rows as Array<{ id: number; preset_metadata: string }>) {
    let meta: Record<string, unknown>
    try {
      meta = JSON.parse(row.preset_metadata) as Record<string, unknown>
    } catch {
      continue
    }
    if (meta === null || typeof meta !== 'object' || !(from in meta)) continue
    const { [from]: value, ...rest } = meta
    await db.updateTable('output_presets').set({ preset_metadata: JSON.stringify({ ...rest, [to]: value }) }).where('id', '=', row.id).execute()
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await renameKey(db, 'copy_subtitles', 'captions')
}

export async function down(db: Kysely<any>): Promise<void> {
  await renameKey(db, 'captions', 'copy_subtitles')
}

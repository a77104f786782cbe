import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrations } from '../../../migrations/index.js'
import { systemScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let current: TempDatabase | undefined
afterEach(async () => {
  await current?.cleanup()
  current = undefined
})

describe('migration 0004_preset_captions', () => {
  it('renames a folder preset’s copy_subtitles to captions, keeping its value, and back on the way down', async () => {
    current = await tempDatabase()
    const db = current.database.db
    const user = await systemScope(db).users.ensureLocalUser()
    const insert = (name: string, platform: string, meta: object) =>
      sql`insert into output_presets (user_id, name, platform, preset_metadata, created_at, updated_at)
          values (${user.id}, ${name}, ${platform}, ${JSON.stringify(meta)}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(db)
    await insert('off', 'local', { destination: '/srv', copy_subtitles: false, copy_transcript: true })
    await insert('on', 'local', { destination: '/srv', copy_subtitles: true })
    await insert('yt', 'youtube', { privacy: 'unlisted' })
    const read = async () =>
      Object.fromEntries(
        (await sql<{ name: string; preset_metadata: string }>`select name, preset_metadata from output_presets order by id`.execute(db)).rows.map((r) => [
          r.name,
          JSON.parse(r.preset_metadata),
        ]),
      )
    const m = migrations['0004_preset_captions']!
    await m.up(db)
    expect(await read()).toEqual({
      off: { destination: '/srv', copy_transcript: true, captions: false },
      on: { destination: '/srv', captions: true },
      yt: { privacy: 'unlisted' },
    })
    await m.down!(db)
    expect((await read()).off).toEqual({ destination: '/srv', copy_transcript: true, copy_subtitles: false })
  })
})

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase, type Database } from '../../../src/db/connection.js'

export interface TempDatabase {
  readonly database: Database
  readonly file: string
  readonly dir: string
  /** Closes (again, harmlessly, if a test closed it) and deletes the directory. */
  cleanup(): Promise<void>
}

/**
 * A migrated database in a fresh temp directory (real file, never :memory:), optionally starting as a copy of
 * a closed database file (cheaper than seeding again).
 */
export async function tempDatabase(opts: { copyOf?: string } = {}): Promise<TempDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
  const file = path.join(dir, 'recflow.db')
  if (opts.copyOf !== undefined) fs.copyFileSync(opts.copyOf, file)
  const database = await openDatabase(file)
  return {
    database,
    file,
    dir,
    async cleanup() {
      await database.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

import fs from 'node:fs'
import Database from 'better-sqlite3'

/** Every row of every table, as text: equal snapshots mean a command changed nothing in the database. */
export function dbSnapshot(file: string): string {
  if (!fs.existsSync(file)) return '<no database>'
  const db = new Database(file, { readonly: true })
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as Array<{ name: string }>
    return tables
      .map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all())}`)
      .join('\n')
  } finally {
    db.close()
  }
}

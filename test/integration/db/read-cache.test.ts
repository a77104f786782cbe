import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../../src/db/connection.js'
import { systemScope } from '../../../src/db/index.js'
import { readCache } from '../../../src/services/read-cache.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

// The cache in front of the callers and the recordings-list counter: kept while the database is unchanged, read
// again after a write by this connection or a commit by any other (the CLI next to the daemon).
describe('readCache over Database.changeStamp', () => {
  let temp: TempDatabase
  let other: Database | undefined
  beforeEach(async () => {
    temp = await tempDatabase()
  })
  afterEach(async () => {
    await other?.close()
    other = undefined
    await temp.cleanup()
  })

  const counted = () => {
    let reads = 0
    const read = async () => {
      reads += 1
      return (await systemScope(temp.database.db).users.findByEmail('a@example.com'))?.full_name ?? null
    }
    return { read, reads: () => reads }
  }

  it('answers from memory while nothing is written, and reads again after this connection writes', async () => {
    const system = systemScope(temp.database.db)
    const user = await system.users.create({ email: 'a@example.com', full_name: 'Ann' })
    const cache = readCache<number, string | null>(temp.database, 10)
    const { read, reads } = counted()
    expect([await cache.get(1, read), await cache.get(1, read)]).toEqual(['Ann', 'Ann'])
    expect(reads()).toBe(1)
    await system.users.update(user.id, { full_name: 'Bea' })
    expect(await cache.get(1, read)).toBe('Bea')
    expect(reads()).toBe(2)
  })

  it('reads again after another connection to the file commits (another process)', async () => {
    const user = await systemScope(temp.database.db).users.create({ email: 'a@example.com', full_name: 'Ann' })
    const cache = readCache<number, string | null>(temp.database, 10)
    const { read, reads } = counted()
    await cache.get(1, read)
    other = await openDatabase(temp.file)
    await systemScope(other.db).users.update(user.id, { full_name: 'Cid' })
    expect(await cache.get(1, read)).toBe('Cid')
    expect(reads()).toBe(2)
  })

  it('a write racing the read is never hidden: the value is kept under the stamp taken before the read', async () => {
    const system = systemScope(temp.database.db)
    const user = await system.users.create({ email: 'a@example.com', full_name: 'Ann' })
    const cache = readCache<number, string | null>(temp.database, 10)
    let reads = 0
    const racing = async () => {
      reads += 1
      const name = (await system.users.findByEmail('a@example.com'))?.full_name ?? null
      if (reads === 1) await system.users.update(user.id, { full_name: 'Dee' }) // lands after this read
      return name
    }
    expect(await cache.get(1, racing)).toBe('Ann')
    expect(await cache.get(1, racing)).toBe('Dee')
    expect(reads).toBe(2)
  })

  it('keys are separate, and without a stamp (none could be read) nothing is kept', async () => {
    await systemScope(temp.database.db).users.create({ email: 'a@example.com', full_name: 'Ann' })
    const { read, reads } = counted()
    const cache = readCache<number, string | null>(temp.database, 10)
    await cache.get(1, read)
    await cache.get(2, read)
    expect(reads()).toBe(2)
    const stampless = readCache<number, string | null>({ changeStamp: () => undefined }, 10)
    await stampless.get(1, read)
    await stampless.get(1, read)
    expect(reads()).toBe(4)
  })
})

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import { forUser, openDatabase, systemScope, type NewRecording, type UserScope } from '../../src/db/index.js'
import { runCli as spawnCli, tempHome, type CliResult } from '../support/cli.js'
import { dbSnapshot } from '../support/db-snapshot.js'

/** Spawning the CLI costs about a second of CPU; these tests wait for several in a row on a shared machine. */
export const E2E_TIMEOUT = 180_000

/**
 * At most this many CLI processes per test file at once: the tests start many concurrently, and more processes
 * than cores only makes each one slower (and, on a busy machine, hit the spawn timeout).
 */
const MAX_SPAWNS = Math.max(2, os.availableParallelism())
let running = 0
const waiting: Array<() => void> = []

/** `runCli` of test/support/cli.ts, queued so that at most MAX_SPAWNS run at once. */
export async function runCli(...args: Parameters<typeof spawnCli>): Promise<CliResult> {
  if (running < MAX_SPAWNS) running++
  else await new Promise<void>((resolve) => waiting.push(resolve)) // the slot is handed over, still counted
  try {
    return await spawnCli(args[0], { timeoutMs: 120_000, ...args[1] })
  } finally {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

export const dbFileOf = (home: string) => path.join(home, 'data', 'recflow.db')

const homes = new Set<string>()

/** A temp RECFLOW_HOME that `removeTempHomes` deletes (call it in the file's afterAll). */
export function newHome(): string {
  const home = tempHome()
  homes.add(home)
  return home
}

export function removeTempHomes(): void {
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true })
  homes.clear()
}

/**
 * A temp RECFLOW_HOME with the database and the local user (id 1), made in this process the way `recflow init`
 * makes them: a spawn costs about a second of CPU, and init itself is tested in init-doctor.test.ts.
 */
export async function initHome(): Promise<string> {
  const home = newHome()
  fs.mkdirSync(path.dirname(dbFileOf(home)), { recursive: true })
  const database = await openDatabase(dbFileOf(home))
  try {
    const user = await systemScope(database.db).users.ensureLocalUser()
    expect(user.id).toBe(1)
  } finally {
    await database.close()
  }
  return home
}

/** A copy of a prepared home, so a test can change it without touching the others. */
export function cloneHome(home: string): string {
  const copy = newHome()
  fs.cpSync(home, copy, { recursive: true })
  return copy
}

/** Runs `recflow ...args --json`, expects exit 0, and returns the envelope's data. */
export async function cliData(home: string, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<any> {
  const r = await runCli([...args, '--json'], { home, ...opts })
  expect(r.code, `recflow ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0)
  expect(r.json?.ok, r.stdout).toBe(true)
  return r.json.data
}

/** Opens the home's database in this process for seeding rows the CLI cannot create yet. */
export async function withLocalUser<T>(home: string, fn: (scope: UserScope) => Promise<T>): Promise<T> {
  const database = await openDatabase(dbFileOf(home))
  try {
    return await fn(forUser(database.db, 1))
  } finally {
    await database.close()
  }
}

export const seedRecordings = (home: string, recordings: NewRecording[]) =>
  withLocalUser(home, async (s) => {
    const ids: number[] = []
    for (const r of recordings) ids.push((await s.recordings.create(r)).id)
    return ids
  })

export interface ExpectedError {
  /** The `code` of the JSON error envelope. */
  code: string
  exit: number
  /** What the Error: line and the envelope's message must say (names the problem); not anchored. */
  message: RegExp
}

/**
 * Runs a malformed command twice (text, then --json) on a fresh copy of `home` and checks the error contract:
 * exit code; on stderr exactly one `Error:` line that names the problem, a `Hint:` line, no stack trace and
 * nothing on stdout; under --json one error envelope with the right code; the database unchanged by either run.
 */
export async function expectRefused(home: string, args: string[], expected: ExpectedError, opts: { stdin?: string } = {}) {
  const own = cloneHome(home)
  const before = dbSnapshot(dbFileOf(own))
  const label = `recflow ${args.join(' ')}`

  const text = await runCli(args, { home: own, stdin: opts.stdin })
  expect(text.code, `${label}\n${text.stdout}${text.stderr}`).toBe(expected.exit)
  const lines = text.stderr.split('\n').filter((l) => l.trim() !== '')
  const errors = lines.filter((l) => l.includes('Error:'))
  expect(errors, `${label}: stderr was\n${text.stderr}`).toHaveLength(1)
  expect(errors[0]!.startsWith('Error: '), errors[0]).toBe(true)
  expect(errors[0], label).toMatch(expected.message)
  expect(lines.some((l) => l.startsWith('Hint: ') && l.length > 'Hint: '.length + 5), `${label}: no hint in\n${text.stderr}`).toBe(true)
  expect(text.stderr, label).not.toMatch(/^\s{4}at /m)
  expect(text.stdout, label).toBe('')
  expect(dbSnapshot(dbFileOf(own)), `${label} changed the database`).toBe(before)

  const json = await runCli([...args, '--json'], { home: own, stdin: opts.stdin })
  expect(json.code, `${label} --json\n${json.stdout}${json.stderr}`).toBe(expected.exit)
  expect(json.json, `${label} --json: stdout was\n${json.stdout}`).toMatchObject({ ok: false, error: { code: expected.code } })
  expect(json.json.error.message, label).toMatch(expected.message)
  expect(typeof json.json.error.hint, label).toBe('string')
  expect(json.stdout, label).not.toMatch(/^\s{4}at /m)
  expect(dbSnapshot(dbFileOf(own)), `${label} --json changed the database`).toBe(before)
  return { text, json }
}

export type { CliResult }

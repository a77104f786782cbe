import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { forUser, openDatabase, systemScope, type NewRecording, type UserScope } from '../../src/db/index.js'
import { tempHome, type CliResult } from '../support/cli.js'
import { dbSnapshot } from '../support/db-snapshot.js'
import { runCommandInProcess } from '../support/run-in-process.js'

/** Generous: a test runs many commands in a row on a shared machine. */
export const E2E_TIMEOUT = 180_000

/**
 * Runs `recflow ...args` in this process (test/support/run-in-process.ts): what the command prints and its exit
 * code, as the spawned CLI would show them, in milliseconds instead of a second of CPU. Calls run one at a time,
 * so files using it run their tests sequentially (no describe.concurrent). Tests about the process itself
 * (stdin, signals, several processes at once) spawn bin/run.js and live in test/e2e/process/.
 */
export async function runCli(args: string[], opts: { home: string; env?: Record<string, string>; cwd?: string }): Promise<CliResult> {
  if ('stdin' in opts) throw new Error('stdin needs a real process: use runCli of test/support/cli.js in test/e2e/process/')
  return runCommandInProcess(args, opts)
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
 * A temp RECFLOW_HOME with the database and the local user (id 1), made the way `recflow init` makes them (init
 * itself is tested in init-doctor.test.ts).
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
export async function cliData(home: string, args: string[], opts: { env?: Record<string, string> } = {}): Promise<any> {
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
 * `run` is the in-process runner unless given (a spawned CLI, for input that needs a real process).
 */
export async function expectRefused(
  home: string,
  args: string[],
  expected: ExpectedError,
  opts: { run?: (args: string[], opts: { home: string }) => Promise<CliResult> } = {},
) {
  const run = opts.run ?? runCli
  const own = cloneHome(home)
  const before = dbSnapshot(dbFileOf(own))
  const label = `recflow ${args.join(' ')}`

  const text = await run(args, { home: own })
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

  const json = await run([...args, '--json'], { home: own })
  expect(json.code, `${label} --json\n${json.stdout}${json.stderr}`).toBe(expected.exit)
  expect(json.json, `${label} --json: stdout was\n${json.stdout}`).toMatchObject({ ok: false, error: { code: expected.code } })
  expect(json.json.error.message, label).toMatch(expected.message)
  expect(typeof json.json.error.hint, label).toBe('string')
  expect(json.stdout, label).not.toMatch(/^\s{4}at /m)
  expect(dbSnapshot(dbFileOf(own)), `${label} --json changed the database`).toBe(before)
  return { text, json }
}

export type { CliResult }

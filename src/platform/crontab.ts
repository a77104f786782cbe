import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { RecflowError } from '../domain/errors.js'

/*
 * The user's crontab through the `crontab` command (so it works with any cron: cronie, Vixie, busybox, macOS):
 * `crontab -l` reads it ("no crontab for USER" is an empty table), `crontab -` replaces it from stdin.
 */

export const CRONTAB_MISSING_HINT =
  'install cron (e.g. `apt-get install cron`), or keep `recflow scheduler run` running in a terminal; on macOS launchd works too (see README "Scheduling")'

/** The `crontab` executable on `pathEnv`, or a clear error when there is none. */
export function findCrontab(pathEnv: string): string {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, 'crontab')
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      if (fs.statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  throw new RecflowError('validation', 'the `crontab` command was not found on PATH', { hint: CRONTAB_MISSING_HINT })
}

function crontab(pathEnv: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = findCrontab(pathEnv)
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
    child.stdin.on('error', () => undefined) // a crontab that exits early: its exit status tells
    child.stdin.end(input ?? '')
  })
}

const failed = (what: string, r: { code: number; stderr: string }) =>
  new RecflowError('provider', `crontab ${what} failed (exit ${r.code}): ${r.stderr.trim() || 'no message'}`, { hint: CRONTAB_MISSING_HINT })

/** The user's crontab as text ('' when they have none). */
export async function readCrontab(pathEnv: string): Promise<string> {
  const r = await crontab(pathEnv, ['-l'])
  if (r.code === 0) return r.stdout
  // cronie, Vixie and macOS: "no crontab for USER"; busybox: "crontab: can't open 'USER': No such file or directory".
  if (/no crontab for|can't open .*no such file/i.test(r.stderr)) return ''
  throw failed('-l', r)
}

/** Replaces the user's crontab with `table`. */
export async function writeCrontab(pathEnv: string, table: string): Promise<void> {
  const r = await crontab(pathEnv, ['-'], table)
  if (r.code !== 0) throw failed('-', r)
}

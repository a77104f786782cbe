import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { RecflowError, type ErrorCode } from '../src/domain/errors.js'
import { rotateLog } from '../src/platform/log-rotation.js'
import type { DaemonInfo } from '../src/services/daemon/daemon-files.js'

/** What a detached daemon tells the process that started it, over the IPC channel. */
export type ChildReport = { type: 'ready'; info: DaemonInfo } | { type: 'failed'; error: { code: ErrorCode; message: string; hint?: string } }

/** In a daemon started by `--detach`: tells the parent how the start went (no-op in the foreground). */
export function reportToParent(report: ChildReport): void {
  if (process.send === undefined || !process.connected) return
  process.send(report)
}

export interface DetachOptions {
  /** node's own flags and bin/run.js, then the child's arguments (`daemon start …` without --detach). */
  argv: string[]
  /** The daemon's log: the child's stdout and stderr go there (rotated before the start). */
  log: string
  /** How long to wait for the child's ready report. */
  timeoutMs: number
}

/** The end of the log since `offset`, to show why a child failed (at most the last 20 lines). */
function logSince(log: string, offset: number): string {
  try {
    const text = fs.readFileSync(log, 'utf8').slice(offset)
    return text.trim().split('\n').slice(-20).join('\n')
  } catch {
    return ''
  }
}

/**
 * Starts the daemon as a detached process (its own session, stdio to the log, no terminal) and waits until it
 * reports ready (pid, URL) or failed (its error, as the foreground start would have printed it). The parent may
 * then exit: the child no longer depends on it.
 */
export async function startDetached(opts: DetachOptions): Promise<DaemonInfo> {
  rotateLog(opts.log)
  const fd = fs.openSync(opts.log, 'a', 0o600)
  const offset = fs.fstatSync(fd).size
  const child = spawn(process.execPath, opts.argv, { detached: true, stdio: ['ignore', fd, fd, 'ipc'] })
  fs.closeSync(fd)
  return new Promise<DaemonInfo>((resolve, reject) => {
    const timer = setTimeout(() => {
      finish()
      reject(
        new RecflowError('internal', `the daemon (pid ${child.pid}) did not report ready within ${Math.round(opts.timeoutMs / 1000)} s; its log is ${opts.log}`, {
          hint: 'see whether it came up with `recflow daemon status`, or stop it with `recflow daemon stop`',
        }),
      )
    }, opts.timeoutMs)
    const finish = () => {
      clearTimeout(timer)
      child.removeAllListeners()
      if (child.connected) child.disconnect()
      child.unref()
    }
    child.on('message', (m: ChildReport) => {
      finish()
      if (m.type === 'ready') resolve(m.info)
      else reject(new RecflowError(m.error.code, m.error.message, { hint: m.error.hint }))
    })
    child.on('error', (e) => {
      finish()
      reject(new RecflowError('internal', `could not start the daemon: ${e.message}`))
    })
    child.on('exit', (code, signal) => {
      finish()
      const tail = logSince(opts.log, offset)
      reject(
        new RecflowError('internal', `the daemon exited (${signal ?? `code ${code}`}) before it was ready${tail ? `:\n${tail}` : ''}`, {
          hint: `its log is ${opts.log}; \`recflow daemon start\` runs it in the foreground`,
        }),
      )
    })
  })
}

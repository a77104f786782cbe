import type { App } from '../src/app.js'
import { RecflowError } from '../src/domain/errors.js'
import type { Logger } from '../src/platform/logger.js'
import type { DaemonInfo, DaemonMode } from '../src/services/daemon/daemon-files.js'

/** The HTTP half of a daemon, once listening. */
export interface HttpPart {
  url: string
  host: string
  port: number
  /** Stops accepting, ends the open connections (SSE streams included) within timeoutMs, and closes. */
  close(timeoutMs: number): Promise<void>
}

export type StartHttp = (app: App, opts: { host: string; port: number; logger: Logger; version?: string; uploadLimit?: number }) => Promise<HttpPart>

export interface DaemonOptions {
  mode: DaemonMode
  host: string
  port: number
  /** How long running tasks may go on after SIGTERM/SIGINT before they are handed back to the queue. */
  graceMs: number
  /** Tasks run at once, over all users. */
  concurrency: number
  logger: Logger
  startHttp: StartHttp
  /** Told once everything runs (the foreground prints it; a detached child reports it to its parent). */
  onReady(info: DaemonInfo): void
}

export interface DaemonExit {
  signal: NodeJS.Signals
  /** Tasks still running when the grace period ended, handed back to the queue. */
  handedBack: number[]
}

/** How long closing the server may take after the worker has stopped. */
const HTTP_CLOSE_MS = 5_000

/** The signal that asks the daemon to stop; a second one ends the grace period at once. */
function stopSignals(onSecond: () => void): { first: Promise<NodeJS.Signals>; dispose(): void } {
  let count = 0
  let resolveFirst!: (s: NodeJS.Signals) => void
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve))
  const handler = (signal: NodeJS.Signals) => {
    count++
    if (count === 1) resolveFirst(signal)
    else onSecond()
  }
  process.on('SIGTERM', handler)
  process.on('SIGINT', handler)
  return {
    first,
    dispose() {
      process.off('SIGTERM', handler)
      process.off('SIGINT', handler)
    },
  }
}

/**
 * `recflow daemon start` in this process: claims the home's pid file, serves the API, runs the worker and the
 * scheduler (as the mode says), reports ready, and on SIGTERM/SIGINT stops gracefully: no new claim, running tasks
 * finish for up to the grace period and the rest go back to the queue, the server and the database are closed and
 * the pid file removed last. Resolves when it has stopped.
 */
export async function runDaemon(app: App, opts: DaemonOptions): Promise<DaemonExit> {
  const { logger } = opts
  const daemon = await app.service('daemon')
  const claim = daemon.claimPidFile(opts.mode)
  let endGrace = () => {}
  const signals = stopSignals(() => {
    logger.warn('second stop signal: handing the running tasks back now')
    endGrace()
  })
  let http: HttpPart | undefined
  try {
    if (opts.mode !== 'worker') http = await opts.startHttp(app, { host: opts.host, port: opts.port, logger })
    const background = await daemon.startBackground({ worker: opts.mode !== 'api', scheduler: opts.mode !== 'api', concurrency: opts.concurrency })
    const info: DaemonInfo = {
      pid: process.pid,
      mode: opts.mode,
      url: http?.url ?? null,
      host: http?.host ?? null,
      port: http?.port ?? null,
      startedAt: new Date().toISOString(),
      graceMs: opts.graceMs,
    }
    claim.ready(info)
    logger.info('daemon ready', { ...info })
    opts.onReady(info)

    const signal = await signals.first
    const running = background.runningTaskIds()
    logger.info('stopping', { signal, graceMs: opts.graceMs, runningTaskIds: running })
    const stopping = background.stop(opts.graceMs)
    endGrace = stopping.now
    // New requests are refused at once; the worker's tasks get their grace period meanwhile.
    const [{ handedBack }] = await Promise.all([stopping.done, http?.close(HTTP_CLOSE_MS)])
    http = undefined
    if (handedBack.length > 0) logger.info('handed running tasks back to the queue', { taskIds: handedBack })
    await app.close()
    logger.info('daemon stopped', { signal })
    return { signal, handedBack }
  } catch (e) {
    await http?.close(HTTP_CLOSE_MS).catch(() => undefined)
    throw e instanceof RecflowError ? e : new RecflowError('internal', `the daemon failed: ${(e as Error).message}`, { cause: e })
  } finally {
    signals.dispose()
    claim.release()
  }
}

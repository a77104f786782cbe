import fs from 'node:fs'
import path from 'node:path'
import { findCronBlock, schedulerTickLine, withCronBlock, withoutCronBlock } from '../../domain/schedule/crontab-block.js'
import type { RuntimeEnv } from '../../platform/config.js'
import { readCrontab, writeCrontab } from '../../platform/crontab.js'
import type { ServiceDeps } from '../context.js'

/** Where the scheduler keeps its files: the tick's log, its lock and its last tick. */
export function schedulerPaths(env: RuntimeEnv) {
  const dir = path.join(env.dataDir, 'scheduler')
  return { dir, log: path.join(dir, 'tick.log'), lock: path.join(dir, 'tick.lock'), lastTick: path.join(dir, 'last-tick.json') }
}

/** What the last `scheduler tick` recorded. */
export interface LastTick {
  at: string
  pid: number
  queued: number
  ran: number
  failed: number
}

export function readLastTick(env: RuntimeEnv): LastTick | null {
  try {
    return JSON.parse(fs.readFileSync(schedulerPaths(env).lastTick, 'utf8')) as LastTick
  } catch {
    return null
  }
}

/** The environment the cron line sets so the tick sees the same recflow as this process (cron's is minimal). */
function tickEnvironment(env: RuntimeEnv): Array<[string, string]> {
  const vars: Array<[string, string]> =
    env.home !== undefined
      ? [['RECFLOW_HOME', path.resolve(env.home)]]
      : [
          ['XDG_CONFIG_HOME', path.dirname(env.configDir)],
          ['XDG_DATA_HOME', path.dirname(env.dataDir)],
        ]
  if (env.pathEnv !== '') vars.push(['PATH', env.pathEnv])
  return vars
}

export interface CronStatus {
  installed: boolean
  /** Our block's lines as they stand in the crontab (markers included). */
  block: string[] | null
  /** The line install would write now; differs from the block's when paths changed (install again). */
  expectedLine: string
  log: string
  lastTick: LastTick | null
  nextJob: { id: number; name: string; userId: number; nextRunAt: string } | null
}

/**
 * `recflow cron install | uninstall | status`: one marked block in the user's crontab whose line runs
 * `recflow scheduler tick` every minute with absolute paths and the right home.
 */
export function schedulerCron(deps: ServiceDeps) {
  const pathEnv = deps.env.pathEnv
  const paths = schedulerPaths(deps.env)
  const line = (program: { node: string; runJs: string }) => schedulerTickLine({ env: tickEnvironment(deps.env), node: program.node, runJs: program.runJs, log: paths.log })

  return {
    /** Adds the block, or rewrites it in place; installing twice leaves one block. */
    async install(program: { node: string; runJs: string }): Promise<{ changed: boolean; line: string; log: string }> {
      const before = await readCrontab(pathEnv)
      const tick = line(program)
      const after = withCronBlock(before, [tick])
      if (after !== before) await writeCrontab(pathEnv, after)
      fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 })
      return { changed: after !== before, line: tick, log: paths.log }
    },

    /** Removes our block only; the user's lines stay byte for byte. */
    async uninstall(): Promise<{ removed: boolean }> {
      const before = await readCrontab(pathEnv)
      const after = withoutCronBlock(before)
      if (after !== before) await writeCrontab(pathEnv, after)
      return { removed: after !== before }
    },

    async status(program: { node: string; runJs: string }): Promise<CronStatus> {
      const block = findCronBlock(await readCrontab(pathEnv))
      const next = await deps.scopes.system().automationJobs.nextScheduled()
      return {
        installed: block !== null,
        block,
        expectedLine: line(program),
        log: paths.log,
        lastTick: readLastTick(deps.env),
        nextJob: next && next.next_run_at !== null ? { id: next.id, name: next.name, userId: next.user_id, nextRunAt: next.next_run_at } : null,
      }
    },
  }
}

export type SchedulerCron = ReturnType<typeof schedulerCron>

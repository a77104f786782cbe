import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { ffmpegSync, GENERATOR, systemOrBundledTools, TEST_AAC, toneInput } from '../../fixtures/media/generate.js'
import { createApp } from '../../../src/app.js'
import { openDatabase } from '../../../src/db/index.js'
import { enqueue } from '../../../src/jobs/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import type { MediaTools } from '../../../src/media/types.js'
import { cliEnv, RUN, type CliResult } from '../../support/cli.js'
import { cachedMediaFile, copyFromCache, mediaCacheKey } from '../../support/media-cache.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

/*
 * What the pipeline e2e tests share: a home with a local source, a folder preset and a template, a CLI process
 * the test can watch and signal while it works, generated media of a chosen size, and read-only looks at the
 * database and the file tree.
 */


export const dbFile = (home: string) => path.join(home, 'data', 'recflow.db')
export const mediaDir = (home: string, recordingId: number) => path.join(home, 'data', 'media', 'user_1', `rec_${recordingId}`)

/** Runs `args --json` in-process (test/support/run-in-process.ts) and returns `data`; any other outcome fails with everything it printed. */
export async function cliData(args: string[], home: string): Promise<any> {
  return dataOf(args, await runCommandInProcess([...args, '--json'], { home }))
}

function dataOf(args: string[], r: CliResult): any {
  if (r.code !== 0 || r.json?.ok !== true) throw new Error(describeRun(args, r))
  return r.json.data
}

export function describeRun(args: string[], r: CliResult): string {
  return `recflow ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`
}

export interface PipelineSetup {
  home: string
  inbox: string
  destination: string
  /** Undefined when set up without a source (recordings then come from `recordings add`). */
  sourceId: number | undefined
  presetId: number
  templateId: number
}

/**
 * A local source on `inbox` (unless `inbox` is null), a folder preset publishing into `destination`, and a
 * template matching `keyword` that may carry processing settings such as `{trim_mode: 'pauses'}`.
 *
 * Made in this process through the same services the `sources|presets|templates add` commands call: a CLI
 * spawn costs more than a second of CPU, these commands have their own e2e tests, and what these tests are
 * about (sync, run, process, cancel) always goes through bin/run.js.
 */
export async function setupLocalPipeline(
  home: string,
  opts: { inbox: string | null; destination: string; keyword?: string; processing?: Record<string, unknown> },
): Promise<PipelineSetup> {
  fs.mkdirSync(home, { recursive: true })
  const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, HOME: home, PATH: process.env.PATH ?? '', RECFLOW_SECRET_STORE: 'file' }))
  try {
    const user = app.localUser
    const source = opts.inbox === null ? undefined : await (await app.service('sources')).create(user, { name: 'lectures', platform: 'local', config: { path: opts.inbox } })
    const preset = await (await app.service('presets')).create(user, { name: 'folder', platform: 'local', preset_metadata: { destination: opts.destination } })
    const template = await (await app.service('templates')).create(user, {
      name: 'Lectures',
      matching_rules: { keywords: [opts.keyword ?? 'Lecture'] },
      output_config: { preset_ids: [preset.id] },
      ...(opts.processing ? { processing_config: { processing: opts.processing } } : {}),
    })
    return { home, inbox: opts.inbox ?? '', destination: opts.destination, sourceId: source?.id, presetId: preset.id, templateId: template.id }
  } finally {
    await app.close()
  }
}

/** A pipeline task for the recording that waits (like a retry after a transient failure) until `runAt`. */
export async function enqueueWaitingTask(home: string, recordingId: number, runAt: Date): Promise<number> {
  const database = await openDatabase(dbFile(home))
  try {
    const { task } = await enqueue(database.db, 1, { type: 'pipeline', payload: { recordingId }, dedupeKey: `pipeline:${recordingId}`, recordingId, runAt })
    return task.id
  } finally {
    await database.close()
  }
}

/** A CLI process the test watches line by line and can signal (SIGKILL, SIGINT) mid-run. */
export interface LiveCli {
  readonly child: ChildProcess
  readonly pid: number
  stdout(): string
  stderr(): string
  /** Resolves with the first stdout line matching `re`; rejects on `failOn`, on exit, or after `timeoutMs`. */
  waitForLine(re: RegExp, opts?: { timeoutMs?: number; failOn?: RegExp }): Promise<string>
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Spawns bin/run.js like runCli does (temp home, CI=true so progress is plain lines), in its own process group
 * so a test can send a signal to the whole group the way a terminal's Ctrl-C does.
 */
export function startCli(args: string[], opts: { home: string; env?: Record<string, string> }): LiveCli {
  const child = spawn(process.execPath, [RUN, ...args], {
    cwd: opts.home,
    detached: true,
    env: cliEnv(opts.home, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const listeners = new Set<() => void>()
  child.stdout!.on('data', (d) => {
    out += d
    for (const l of [...listeners]) l()
  })
  child.stderr!.on('data', (d) => (err += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      for (const l of [...listeners]) l()
      resolve({ code, signal })
    }),
  )
  let closed = false
  void exited.then(() => (closed = true))
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(re, { timeoutMs = 120_000, failOn } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const lines = out.split('\n')
          const hit = lines.find((l) => re.test(l))
          const bad = failOn && lines.find((l) => failOn.test(l))
          if (hit === undefined && bad === undefined && !closed) return
          listeners.delete(check)
          clearTimeout(timer)
          if (hit !== undefined) resolve(hit)
          else reject(new Error(`${bad !== undefined ? `saw "${bad}"` : 'the CLI exited'} before a line matching ${re}\nstdout: ${out}\nstderr: ${err}`))
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`no line matching ${re} within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`))
        }, timeoutMs)
        listeners.add(check)
        check()
      })
    },
  }
}

/**
 * Waits until `pid` (a spawned CLI, or this process while a command runs in-process) has an ffmpeg child writing
 * PROCESS's trimmed file, a `processed.*.part` under `within` (the home: not another run's), that already holds
 * data: the trim is mid-write. Returns that
 * ffmpeg's pid. /proc is looked at every 5 ms, so a trim of half a second is caught well inside (progress lines
 * come every 0.5 s, which asked for minutes of media to hit the same window reliably). Rejects when `ended`
 * settles first (the run finished or failed: the clip is too short for this machine) or after `timeoutMs`.
 */
export async function waitForTrimWriter(pid: number, opts: { ended: Promise<unknown>; within: string; timeoutMs?: number }): Promise<number> {
  let ended = false
  void opts.ended.then(
    () => (ended = true),
    () => (ended = true),
  )
  const until = Date.now() + (opts.timeoutMs ?? 120_000)
  for (;;) {
    for (const child of childPids(pid)) {
      const args = argsOf(child)
      const output = args?.at(-1)
      if (!args?.some((a) => a.includes('ffmpeg')) || !output || !/(^|\/)processed\.\w+\.[0-9a-f]{12}\.part$/.test(output)) continue
      const file = path.resolve(cwdOf(child), output)
      if (file.startsWith(opts.within + path.sep) && sizeOf(file) > 0) return child
    }
    if (ended) throw new Error(`the run of ${pid} ended before its trim was seen writing`)
    if (Date.now() > until) throw new Error(`no trim writing within ${opts.timeoutMs ?? 120_000} ms`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

function cwdOf(pid: number): string {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`)
  } catch {
    return '/'
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}

/** The arguments of a live process (split on NUL: names with spaces stay whole), or undefined once it is gone. */
function argsOf(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return raw === '' ? undefined : raw.replace(/\0$/, '').split('\0')
  } catch {
    return undefined
  }
}

/** Direct children of a process (Linux /proc), e.g. the ffmpeg a CLI is running. */
export function childPids(pid: number): number[] {
  const taskDir = `/proc/${pid}/task`
  if (!fs.existsSync(taskDir)) return []
  return fs
    .readdirSync(taskDir)
    .flatMap((tid) => fs.readFileSync(path.join(taskDir, tid, 'children'), 'utf8').trim().split(/\s+/))
    .filter((s) => s !== '')
    .map(Number)
}

/** The command line of a live process, or undefined once it is gone (or only a zombie is left). */
export function commandLine(pid: number): string | undefined {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
    return cmd === '' ? undefined : cmd
  } catch {
    return undefined
  }
}

/** Kills a process this test started (directly or through the CLI), checked by a marker in its command line. */
export function killIfStillOurs(pid: number, marker: string): void {
  if (commandLine(pid)?.includes(marker)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** Rows from the home's database, read-only (what a second process would see). */
export function query<T = Record<string, unknown>>(home: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile(home), { readonly: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((rel) => fs.statSync(path.join(dir, rel)).isFile())
    .sort()
}

/** name -> sha256 of every file under `dir`. */
export function hashesUnder(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).map((rel) => [rel, sha256(path.join(dir, rel))]))
}

export function partFilesUnder(...dirs: string[]): string[] {
  return dirs.flatMap((d) => filesUnder(d).filter((rel) => rel.endsWith('.part')).map((rel) => path.join(d, rel)))
}

/**
 * A lecture-like clip: a tone that speaks in `speakS`-second bursts with `pauseS`-second pauses, after a silent
 * lead-in and before a silent tail (both trimmed by `edges`; the pauses only by `pauses`, which re-encodes and so
 * takes a while on a longer clip), with testsrc2 video of the given size unless `video` is false (an .m4a).
 */
export async function makeLectureClip(
  file: string,
  opts: { durationS: number; video?: boolean; size?: string; fps?: number; leadS?: number; tailS?: number; speakS?: number; pauseS?: number },
): Promise<string> {
  const spec = { video: true, size: '320x180', fps: 25, leadS: 8, tailS: 8, speakS: 10, pauseS: 5, ...opts }
  const tools = await systemOrBundledTools()
  const name = `lecture${path.extname(file)}`
  // Made once (test media cache) and copied: several runs and files use the same clips. Keyed by the encoder's own
  // source, so editing the other helpers of this file does not make every clip again.
  const key = mediaCacheKey('makeLectureClip', spec, name, tools.ffmpeg.path, encodeLectureClip.toString(), GENERATOR)
  return copyFromCache(cachedMediaFile(key, name, (out) => encodeLectureClip(tools, out, spec)), file)
}

function encodeLectureClip(
  tools: MediaTools,
  file: string,
  opts: { durationS: number; video: boolean; size: string; fps: number; leadS: number; tailS: number; speakS: number; pauseS: number },
): void {
  const { durationS, video, size, fps, leadS, tailS, speakS, pauseS } = opts
  const tones: Array<{ start: number; end: number }> = []
  for (let t = leadS; t < durationS - tailS; t += speakS + pauseS) tones.push({ start: t, end: Math.min(t + speakS, durationS - tailS) })
  const videoIn = video ? ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}:d=${durationS}`] : []
  const videoOut = video ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps * 2), '-sc_threshold', '0'] : []
  ffmpegSync(tools, [
    ...videoIn,
    ...toneInput(tones, durationS),
    ...videoOut,
    ...TEST_AAC, '-ac', '1', '-t', String(durationS), file,
  ])
}

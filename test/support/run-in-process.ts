import { Config, run, settings } from '@oclif/core'
import { Exit, handle } from '@oclif/core/handle'
import { cliEnv, ROOT, type CliResult } from './cli.js'

/*
 * Runs a recflow command inside the test process, the way bin/run.js runs it (oclif's `run` on the compiled
 * dist/ and oclif.manifest.json: build first, `npm test` does), and reports what a spawned CLI would show:
 * stdout, stderr, the exit code (process.exitCode, an oclif ExitError, or an error oclif's handler would print)
 * and the parsed --json envelope. It costs milliseconds where a spawn costs about a second of CPU.
 *
 * The command sees only the environment a spawned CLI would get (cliEnv: its own RECFLOW_HOME, the file secret
 * store, CI=true, plus `env`), with the working directory set to the home, and a Config loaded afresh. recflow reads the environment only
 * in src/platform/config.ts, but oclif reads process.env too (the --home flag's RECFLOW_HOME twin), so the call
 * swaps process.env, the cwd, process.exitCode and the stdout/stderr writers, and puts everything back after.
 * Calls are therefore queued one at a time per test file, and a file that uses this runner must not run its
 * tests with describe.concurrent (another test's code would see the command's environment while it awaits).
 *
 * What stays a spawned-CLI test (test/e2e/process/): stdin (`--file -` reads fd 0), signals, several processes
 * on one database at once, and the process's own exit.
 */

export interface InProcessOptions {
  home: string
  /** Extra environment variables, on top of cliEnv(home). */
  env?: Record<string, string>
  /** Working directory for relative paths (default: the home, like runCli). */
  cwd?: string
  /** Told every piece of stderr as the command writes it (a scripted browser watching for the sign-in URL). */
  onStderr?: (text: string) => void
  /** What the command reads as process.stdin (default: the test process's own). */
  stdin?: NodeJS.ReadableStream
}

let queue: Promise<unknown> = Promise.resolve()

/**
 * The oclif Config of the project, loaded from the root for each call (a few milliseconds: the manifest lists the
 * commands), inside the command's environment, so no state of one call's Config reaches the next.
 */
function loadConfig(): Promise<Config> {
  // Under vitest (NODE_ENV=test) oclif would look for the TypeScript sources of the commands; run dist/ like bin/run.js.
  settings.enableAutoTranspile = false
  return Config.load(ROOT)
}

/** Runs `recflow ...args` in this process; resolves with what a spawned CLI would have printed and exited with. */
export function runCommandInProcess(args: string[], opts: InProcessOptions): Promise<CliResult> {
  const next = queue.then(() => runNow(args, opts))
  queue = next.catch(() => undefined)
  return next
}

async function runNow(args: string[], opts: InProcessOptions): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const saved = {
    env: { ...process.env },
    cwd: process.cwd(),
    exitCode: process.exitCode,
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
  }
  replaceEnv(cliEnv(opts.home, opts.env))
  process.chdir(opts.cwd ?? opts.home)
  process.exitCode = undefined
  process.stdout.write = capture((s) => (stdout += s))
  process.stderr.write = capture((s) => {
    stderr += s
    opts.onStderr?.(s)
  })
  const stdinDescriptor = Object.getOwnPropertyDescriptor(process, 'stdin')
  if (opts.stdin) Object.defineProperty(process, 'stdin', { value: opts.stdin, configurable: true, writable: true })
  let code: number | undefined
  const exit = Exit.exit
  Exit.exit = ((c = 0) => {
    code = c
  }) as typeof Exit.exit
  try {
    // What bin/run.js does (oclif's execute): run, and hand any error to oclif's handler, which prints it unless
    // it is an ExitError and exits with its code (Exit.exit, recorded here instead).
    await run(args, await loadConfig()).catch(async (e: Error) => handle(e))
    code ??= exitCodeOf(process.exitCode)
  } finally {
    Exit.exit = exit
    process.stdout.write = saved.stdoutWrite
    process.stderr.write = saved.stderrWrite
    if (opts.stdin && stdinDescriptor) Object.defineProperty(process, 'stdin', stdinDescriptor)
    process.exitCode = saved.exitCode
    process.chdir(saved.cwd)
    replaceEnv(saved.env)
  }
  let json: unknown
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  return { code: code ?? 0, stdout, stderr, json }
}

function exitCodeOf(value: string | number | null | undefined): number {
  if (value === undefined || value === null || value === '') return 0
  return Number(value)
}

function replaceEnv(env: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key]
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
}

/** A stand-in for stream.write that collects text and completes the write at once, like a drained pipe. */
function capture(append: (s: string) => void): typeof process.stdout.write {
  return ((chunk: string | Uint8Array, encodingOrCb?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void) => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encodingOrCb === 'string' ? encodingOrCb : 'utf8'))
    const done = typeof encodingOrCb === 'function' ? encodingOrCb : cb
    if (done) queueMicrotask(() => done())
    return true
  }) as typeof process.stdout.write
}

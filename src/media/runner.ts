import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { spawn } from 'node:child_process'
import { RecflowError } from '../domain/errors.js'
import { childEnded, childStarted } from '../platform/child-processes.js'
import { initialProgressState, parseProgressLine } from './progress.js'
import type { FfmpegProgress, MediaTool, MediaTools } from './types.js'

/**
 * The one place where ffmpeg and ffprobe run. Output is consumed line by line and never buffered whole (a
 * 10-hour recording must not cost memory); only a bounded stderr tail is kept, for error messages.
 */

export interface RunResult {
  exitCode: number | undefined
  /** The signal that ended the process, if any. */
  signal: string | undefined
  /** The last lines of stderr (bounded), oldest first. */
  stderrTail: string[]
  elapsedMs: number
}

export interface RunToolOptions {
  signal?: AbortSignal
  onStdoutLine?: (line: string) => void
  onStderrLine?: (line: string) => void
  /** How many stderr lines to keep for error messages (default 40). */
  stderrTailLines?: number
}

const MAX_KEPT_LINE_CHARS = 1000
const FORCE_KILL_AFTER_MS = 3000

export async function runTool(tool: MediaTool, args: readonly string[], opts: RunToolOptions = {}): Promise<RunResult> {
  const name = toolName(tool)
  throwIfCancelled(opts.signal, name)
  const tailSize = opts.stderrTailLines ?? 40
  const tail: string[] = []
  const started = Date.now()

  // node:child_process rather than execa: execa costs ~15 MiB and a noticeable share of every command's start-up.
  const child = spawn(tool.path, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    // Its own process group: killed as a whole when recflow exits or is signalled (platform/child-processes.ts),
    // and recorded with the running task so a SIGKILLed recflow's leftover is killed when the task is taken back.
    detached: process.platform !== 'win32',
  })
  childStarted(child.pid, tool.path)
  const exited = new Promise<{ exitCode: number | undefined; signal: string | undefined; spawnError?: Error }>((resolve) => {
    child.once('error', (spawnError) => resolve({ exitCode: undefined, signal: undefined, spawnError }))
    child.once('close', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }))
  })
  // Cancelling asks politely (SIGTERM: ffmpeg finishes its current packet and exits) and insists after 3 s.
  let forceKill: NodeJS.Timeout | undefined
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    forceKill ??= setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_AFTER_MS)
    forceKill.unref()
  }
  opts.signal?.addEventListener('abort', stop, { once: true })
  // A throwing callback must not leave ffmpeg running: remember the error, stop the process, rethrow below.
  let callbackError: { error: unknown } | undefined
  const guard = (fn: (line: string) => void) => (line: string) => {
    if (callbackError) return
    try {
      fn(line)
    } catch (error) {
      callbackError = { error }
      stop()
    }
  }
  const pumps = [
    pumpLines(
      child.stdout,
      guard((line) => opts.onStdoutLine?.(line)),
    ),
    pumpLines(
      child.stderr,
      guard((line) => {
        tail.push(line.length > MAX_KEPT_LINE_CHARS ? `${line.slice(0, MAX_KEPT_LINE_CHARS)}…` : line)
        if (tail.length > tailSize) tail.shift()
        opts.onStderrLine?.(line)
      }),
    ),
  ]
  let result: Awaited<typeof exited>
  try {
    ;[result] = await Promise.all([exited, ...pumps])
  } finally {
    childEnded(child.pid)
    opts.signal?.removeEventListener('abort', stop)
    clearTimeout(forceKill)
  }

  if (callbackError) throw callbackError.error
  if (opts.signal?.aborted) {
    throw new RecflowError('cancelled', `${name} was cancelled`, { cause: opts.signal?.reason })
  }
  if (result.spawnError) {
    // Spawning failed (ENOENT, EACCES): there is no exit status at all.
    throw new RecflowError('internal', `could not start ${name} at ${tool.path}: ${result.spawnError.message}`, {
      hint: 'Run `recflow doctor` to see which ffmpeg/ffprobe is used; install ffmpeg or reinstall recflow.',
    })
  }
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stderrTail: tail,
    elapsedMs: Date.now() - started,
  }
}

export interface RunFfmpegOptions {
  signal?: AbortSignal
  onProgress?: (progress: FfmpegProgress) => void
  /** Expected output duration, to turn out_time into a percentage. */
  durationS?: number
  onStderrLine?: (line: string) => void
  stderrTailLines?: number
}

/** Global options every ffmpeg run gets; planners return only what is specific to the job. */
export const FFMPEG_GLOBAL_ARGS: readonly string[] = ['-hide_banner', '-nostdin', '-nostats', '-progress', 'pipe:1']

export async function runFfmpeg(
  tools: MediaTools,
  args: readonly string[],
  opts: RunFfmpegOptions = {},
): Promise<RunResult> {
  let state = initialProgressState
  // ffmpeg stopped by a signal (Ctrl-C reaches the whole process group) still prints its last block as
  // "progress=end": the final event is held until ffmpeg has exited with 0, so a stopped job never looks done.
  let last: FfmpegProgress | undefined
  const result = await runTool(tools.ffmpeg, [...FFMPEG_GLOBAL_ARGS, ...args], {
    signal: opts.signal,
    stderrTailLines: opts.stderrTailLines,
    onStderrLine: opts.onStderrLine,
    onStdoutLine: (line) => {
      const next = parseProgressLine(state, line, opts.durationS)
      state = next.state
      if (next.event?.done) last = next.event
      else if (next.event) opts.onProgress?.(next.event)
    },
  })
  if (last && result.exitCode === 0) opts.onProgress?.(last)
  return result
}

export interface RunFfprobeOptions {
  signal?: AbortSignal
  /** Stream stdout line by line (for long listings). When absent, stdout is collected up to maxStdoutBytes. */
  onLine?: (line: string) => void
  maxStdoutBytes?: number
}

export async function runFfprobe(
  tools: MediaTools,
  args: readonly string[],
  opts: RunFfprobeOptions = {},
): Promise<RunResult & { stdout: string }> {
  const max = opts.maxStdoutBytes ?? 8 * 1024 * 1024
  const chunks: string[] = []
  let size = 0
  let overflow = false
  const limiter = new AbortController()
  const signal = opts.signal ? AbortSignal.any([opts.signal, limiter.signal]) : limiter.signal
  const onLine =
    opts.onLine ??
    ((line: string) => {
      size += line.length + 1
      if (size > max) {
        overflow = true
        limiter.abort()
        return
      }
      chunks.push(line)
    })
  try {
    const result = await runTool(tools.ffprobe, ['-hide_banner', ...args], { signal, onStdoutLine: onLine })
    return { ...result, stdout: chunks.join('\n') }
  } catch (e) {
    if (overflow && !opts.signal?.aborted) {
      throw new RecflowError('internal', `ffprobe printed more than ${max} bytes; refusing to buffer it`)
    }
    throw e
  }
}

/** Turns a failed run into a RecflowError that quotes ffmpeg's own last words. */
export function assertToolSucceeded(result: RunResult, what: string): void {
  if (result.exitCode === 0 && !trailerFailed(result)) return
  const status =
    result.exitCode === undefined ? `signal ${result.signal}` : result.exitCode === 0 ? 'the output was not finalized' : `exit code ${result.exitCode}`
  const lastLines = meaningfulTail(result.stderrTail, 5)
  const noSpace = result.stderrTail.some((l) => /No space left on device/i.test(l))
  throw new RecflowError('internal', `${what} failed (${status})${lastLines ? `: ${lastLines}` : ''}`, {
    hint: noSpace ? 'The disk is full: free some space and run the stage again.' : undefined,
    details: { stderrTail: result.stderrTail },
  })
}

/**
 * ffmpeg (4.x, 5.x) exits with 0 even when writing the container trailer (the MP4 index) failed, which leaves
 * an unplayable file. Its error line is the only sign.
 */
export function trailerFailed(result: RunResult): boolean {
  return result.stderrTail.some((l) => /Error writing trailer/i.test(l))
}

/** The last non-empty stderr lines joined into one sentence-sized string. */
export function meaningfulTail(lines: readonly string[], count: number): string {
  return lines
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(-count)
    .join(' | ')
}

export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new RecflowError('cancelled', `${what} was cancelled`, { cause: signal.reason })
}

function toolName(tool: MediaTool): string {
  const base = tool.path.split(/[\\/]/).pop() ?? tool.path
  return base.replace(/\.exe$/i, '') || 'media tool'
}

async function pumpLines(stream: Readable | null, onLine: (line: string) => void): Promise<void> {
  if (!stream) return
  const rl = createInterface({ input: stream, crlfDelay: Infinity })
  for await (const raw of rl) onLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw)
}

import type { EventSink, PipelineStage, RecflowEvent } from '../domain/events.js'
import { emptyPrinted, formatEventLine } from '../ui/plain-lines.js'
import { initialProgressState, reduce, type ProgressState } from '../ui/progress-state.js'
import { summarize } from '../ui/progress-summary.js'
import type { LiveProgressView } from '../ui/render-progress.js'

/**
 * How a long command shows progress (DESIGN.md §6): an Ink view on a terminal, one plain line per event when
 * piped or on CI (Ink would write every frame with escape codes), nothing but the final result under --json.
 * Ctrl-C asks the command to cancel (its AbortSignal kills ffmpeg, marks the task cancelled, removes `.part`
 * files); a second Ctrl-C exits 130 at once.
 */
export type ProgressMode = 'tty' | 'plain' | 'json'

export function chooseProgressMode(opts: { json: boolean; isTTY: boolean | undefined; ci: boolean }): ProgressMode {
  if (opts.json) return 'json'
  return opts.isTTY === true && !opts.ci ? 'tty' : 'plain'
}

/** The part of `process` the interrupt handler needs, so tests can pass an EventEmitter. */
export interface InterruptibleProcess {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown
  exit(code: number): void
}

export interface InterruptOptions {
  /** True when cancelling already started elsewhere (the `q` key), so the next signal is the second one. */
  isCancelled?: () => boolean
  /** Runs right before a forced exit, e.g. to give the terminal back from raw mode. */
  beforeExit?: () => void
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const

/**
 * First SIGINT (or SIGTERM) calls `onCancel`; the next one exits at once with 128 + the signal number. While
 * installed, Node's default "die on SIGINT" is off, so cancellation can clean up. Returns the disposer.
 */
export function installInterruptHandler(proc: InterruptibleProcess, onCancel: () => void, opts: InterruptOptions = {}): () => void {
  let cancelled = false
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as Array<keyof typeof SIGNAL_EXIT_CODES>).map((signal) => {
    const listener = () => {
      if (cancelled || opts.isCancelled?.() === true) {
        opts.beforeExit?.()
        proc.exit(SIGNAL_EXIT_CODES[signal])
        return
      }
      cancelled = true
      onCancel()
    }
    proc.on(signal, listener)
    return { signal, listener }
  })
  let disposed = false
  return () => {
    if (disposed) return
    disposed = true
    for (const { signal, listener } of handlers) proc.off(signal, listener)
  }
}

export interface ProgressOutputOptions {
  mode: ProgressMode
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  stdin: NodeJS.ReadStream
  /** Called once when the user asks to cancel (q, Ctrl-C, SIGINT); abort the command's AbortController here. */
  onCancel: () => void
  /** Stages shown as pending for each recording from the start (e.g. PIPELINE_STAGES for a full run). */
  plannedStages?: readonly PipelineStage[]
  /** Defaults to the global process; tests pass an EventEmitter with an `exit`. */
  process?: InterruptibleProcess
  now?: () => number
}

export interface ProgressOutput {
  onEvent: EventSink
  /** Ends the output: tty draws its final frame with the summary, plain prints it; json prints nothing. */
  finish(summary?: string): Promise<void>
  /** Releases the terminal and the signal handlers; safe to call more than once and after finish. */
  dispose(): void
  /** Resolves once events show (in tty mode: the Ink view is mounted; before that, events only build state). */
  readonly ready: Promise<void>
  /** The state built from every event so far (for the command's own result, if it wants it). */
  readonly state: ProgressState
  readonly cancelling: boolean
}

export function createProgressOutput(opts: ProgressOutputOptions): ProgressOutput {
  const now = opts.now ?? Date.now
  const proc = opts.process ?? process
  let mode = opts.mode
  let state = initialProgressState({ plannedStages: opts.plannedStages })
  let printed = emptyPrinted()
  let cancelling = false
  let view: LiveProgressView | undefined
  let finished = false
  let disposed = false

  const cancel = () => {
    if (cancelling) return
    cancelling = true
    if (mode === 'plain') opts.stderr.write('cancelling… (press Ctrl-C again to quit now)\n')
    view?.update(state, true)
    opts.onCancel()
  }
  const releaseTerminal = () => view?.unmount()
  const forceQuit = () => {
    dispose()
    proc.exit(SIGNAL_EXIT_CODES.SIGINT)
  }

  // Ink (with React and its layout engine) takes a noticeable part of a second to load, so it is loaded only
  // for the terminal view, and without holding up the work: events before it mounts only build state.
  const ready =
    mode === 'tty'
      ? import('../ui/render-progress.js').then(
          ({ renderProgressView }) => {
            if (disposed) return
            view = renderProgressView({ stdout: opts.stdout, stderr: opts.stderr, stdin: opts.stdin, state, onCancel: cancel, onForceQuit: forceQuit })
            if (cancelling) view.update(state, true)
          },
          (e: unknown) => {
            mode = 'plain'
            opts.stderr.write(`progress view unavailable (${(e as Error).message}); printing plain lines\n`)
          },
        )
      : Promise.resolve()
  // Under --json too: a script's Ctrl-C should still cancel cleanly and get the cancelled envelope.
  const removeInterrupt = installInterruptHandler(proc, cancel, { isCancelled: () => cancelling, beforeExit: releaseTerminal })

  function dispose() {
    disposed = true
    removeInterrupt()
    releaseTerminal()
  }

  return {
    onEvent(event: RecflowEvent) {
      if (finished) return
      state = reduce(state, event, now())
      if (mode === 'tty') view?.update(state, cancelling)
      else if (mode === 'plain') {
        const out = formatEventLine(event, { state, printed })
        printed = out.printed
        if (out.line !== undefined) opts.stdout.write(out.line + '\n')
      }
    },
    async finish(summary) {
      if (finished) return
      finished = true
      const line = summary ?? (cancelling ? `cancelled: ${summarize(state)}` : summarize(state))
      try {
        await ready
        if (mode === 'tty') await view?.finish(state, line)
        else if (mode === 'plain') opts.stdout.write(line + '\n')
      } finally {
        dispose()
      }
    },
    dispose,
    ready,
    get state() {
      return state
    },
    get cancelling() {
      return cancelling
    },
  }
}

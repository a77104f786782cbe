import { render, type Instance } from 'ink'
import type { ProgressState } from './progress-state.js'
import { ProgressView } from './progress-view.js'

/** The mounted Ink progress view; the caller owns the state and pushes every new version. */
export interface LiveProgressView {
  update(state: ProgressState, cancelling: boolean): void
  /** Draws the final frame with `summary` in the footer, then unmounts and waits for the output to flush. */
  finish(state: ProgressState, summary: string): Promise<void>
  /** Unmounts at once (idempotent); the terminal leaves raw mode. */
  unmount(): void
}

export interface RenderProgressOptions {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  stdin: NodeJS.ReadStream
  state: ProgressState
  onCancel: () => void
  onForceQuit: () => void
}

export function renderProgressView(opts: RenderProgressOptions): LiveProgressView {
  const view = (state: ProgressState, cancelling: boolean, summary?: string) => (
    <ProgressView state={state} cancelling={cancelling} summary={summary} onCancel={opts.onCancel} onForceQuit={opts.onForceQuit} />
  )
  // Ctrl-C reaches the view as a key (raw mode) so it can cancel instead of Ink exiting; nothing of ours uses
  // console, so patching it would only cost.
  const instance: Instance = render(view(opts.state, false), {
    stdout: opts.stdout,
    stderr: opts.stderr,
    stdin: opts.stdin,
    exitOnCtrlC: false,
    patchConsole: false,
  })
  let mounted = true
  return {
    update(state, cancelling) {
      if (mounted) instance.rerender(view(state, cancelling))
    },
    async finish(state, summary) {
      if (!mounted) return
      instance.rerender(view(state, false, summary))
      mounted = false
      instance.unmount()
      await instance.waitUntilExit()
    },
    unmount() {
      if (!mounted) return
      mounted = false
      instance.unmount()
    },
  }
}

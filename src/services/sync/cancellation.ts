import { RecflowError } from '../../domain/errors.js'

/** Checked between files, so a cancelled sync stops after the file in hand and leaves every row consistent. */
export function throwIfCancelled(signal: AbortSignal | undefined, what = 'sync'): void {
  if (signal?.aborted) throw new RecflowError('cancelled', `${what} was cancelled`, { cause: signal.reason })
}

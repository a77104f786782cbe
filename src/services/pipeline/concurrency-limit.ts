/**
 * A counting gate: `run(fn)` waits until fewer than `limit` calls are running, then runs fn. Used where one kind
 * of work (CPU-bound encoding) must stay bounded inside a pool that is sized for another (network requests).
 */
export function concurrencyLimit(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: Array<() => void> = []
  return async (fn) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    try {
      return await fn()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}

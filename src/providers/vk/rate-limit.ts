/*
 * VK allows a user token 3 API requests a second (API-CONTRACTS.md §C.8; more give error 6). One limiter per
 * token, shared by every uploader of the process (uploaders are built per target, the limit is the token's): a
 * call waits until fewer than `perSecond` calls of that token started in the last second.
 */

export interface LimiterTiming {
  /** Milliseconds, monotonic enough for spacing calls. */
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realTiming: LimiterTiming = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error)
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal?.reason as Error)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}

export class TokenRateLimiter {
  private readonly starts = new Map<string, number[]>()
  private readonly queues = new Map<string, Promise<void>>()

  constructor(
    private readonly timing: LimiterTiming,
    private readonly perSecond = 3,
  ) {}

  /** Resolves when a call of `key` may start (calls of one key are admitted in order). */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve()
    const turn = previous.catch(() => undefined).then(() => this.admit(key, signal))
    this.queues.set(key, turn)
    return turn
  }

  private async admit(key: string, signal?: AbortSignal): Promise<void> {
    const starts = this.starts.get(key) ?? []
    this.starts.set(key, starts)
    for (;;) {
      const now = this.timing.now()
      while (starts.length > 0 && now - (starts[0] as number) >= 1000) starts.shift()
      if (starts.length < this.perSecond) {
        starts.push(now)
        return
      }
      await this.timing.sleep(1000 - (now - (starts[0] as number)), signal)
    }
  }
}

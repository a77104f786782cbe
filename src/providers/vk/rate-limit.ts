/*
 * VK allows a user token 3 API requests a second (API-CONTRACTS.md §C.8; more give error 6). One limiter per
 * token, shared by every uploader of the process (uploaders are built per target, the limit is the token's): a
 * call waits until fewer than `perSecond` calls of that token are in flight or were answered less than a second ago.
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
  /** Per key: the calls of the last second, each with the time its answer came (null while in flight). */
  private readonly slots = new Map<string, Array<{ end: number | null }>>()
  private readonly queues = new Map<string, Promise<unknown>>()
  private readonly released = new Map<string, Array<() => void>>()

  constructor(
    private readonly timing: LimiterTiming,
    private readonly perSecond = 3,
  ) {}

  /**
   * Resolves, in order per key, when a call may start, with the function to call once its answer came. A call
   * counts from its start until a second after its answer: VK counts a request when it arrives, somewhere in
   * between, so spacing starts from answers keeps any 3 + 1 arrivals a second apart whatever the latency.
   */
  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    const previous = this.queues.get(key) ?? Promise.resolve()
    const turn = previous.catch(() => undefined).then(() => this.admit(key, signal))
    this.queues.set(key, turn)
    return turn
  }

  private async admit(key: string, signal?: AbortSignal): Promise<() => void> {
    const slots = this.slots.get(key) ?? []
    this.slots.set(key, slots)
    for (;;) {
      const now = this.timing.now()
      for (let i = slots.length - 1; i >= 0; i--) {
        const end = slots[i]!.end
        if (end !== null && now - end >= 1000) slots.splice(i, 1)
      }
      if (slots.length < this.perSecond) {
        const slot: { end: number | null } = { end: null }
        slots.push(slot)
        return () => {
          if (slot.end !== null) return
          slot.end = this.timing.now()
          for (const wake of this.released.get(key)?.splice(0) ?? []) wake()
        }
      }
      const ends = slots.map((s) => s.end).filter((e): e is number => e !== null)
      if (ends.length > 0) await this.timing.sleep(1000 - (now - Math.min(...ends)), signal)
      else await new Promise<void>((resolve) => this.released.set(key, [...(this.released.get(key) ?? []), resolve]))
    }
  }
}

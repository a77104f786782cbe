import { describe, expect, it } from 'vitest'
import { concurrencyLimit } from '../../../../src/services/pipeline/concurrency-limit.js'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('concurrencyLimit', () => {
  it('runs at most `limit` calls at once and every call to the end, in arrival order', async () => {
    const limit = concurrencyLimit(2)
    let running = 0
    let peak = 0
    const started: number[] = []
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limit(async () => {
          started.push(i)
          peak = Math.max(peak, ++running)
          await tick()
          running--
          return i * 10
        }),
      ),
    )
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60])
    expect(peak).toBe(2)
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it('frees the slot of a call that fails', async () => {
    const limit = concurrencyLimit(1)
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await Promise.race([limit(async () => 'next'), tick().then(() => 'stuck')])).toBe('next')
  })
})

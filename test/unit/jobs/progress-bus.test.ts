import { describe, expect, it } from 'vitest'
import { ProgressBus, type TaskUpdate } from '../../../src/jobs/progress-bus.js'
import { silentLogger } from '../../../src/platform/logger.js'

const progress = (taskId: number, userId = 1): TaskUpdate => ({ kind: 'progress', taskId, userId, progress: 10, stage: null, message: null })

describe('ProgressBus', () => {
  it('delivers updates to the listeners whose filter matches', () => {
    const bus = new ProgressBus({ logger: silentLogger })
    const all: number[] = []
    const one: number[] = []
    const user2: number[] = []
    bus.subscribe((u) => all.push(u.taskId))
    bus.subscribe((u) => one.push(u.taskId), { taskId: 2 })
    bus.subscribe((u) => user2.push(u.taskId), { userId: 2 })
    bus.publish(progress(1))
    bus.publish(progress(2))
    bus.publish(progress(3, 2))
    expect(all).toEqual([1, 2, 3])
    expect(one).toEqual([2])
    expect(user2).toEqual([3])
  })

  it('stops delivering after unsubscribe', () => {
    const bus = new ProgressBus({ logger: silentLogger })
    const seen: number[] = []
    const off = bus.subscribe((u) => seen.push(u.taskId))
    bus.publish(progress(1))
    off()
    bus.publish(progress(2))
    expect(seen).toEqual([1])
    expect(bus.listenerCount).toBe(0)
  })

  it('logs a throwing listener (never swallows it) and still delivers to the others', () => {
    const errors: Array<{ msg: string; fields?: Record<string, unknown> }> = []
    const logger = { ...silentLogger, warn: (msg: string, fields?: Record<string, unknown>) => errors.push({ msg, fields }) }
    const bus = new ProgressBus({ logger })
    const seen: number[] = []
    bus.subscribe(() => {
      throw new Error('view crashed')
    })
    bus.subscribe((u) => seen.push(u.taskId))
    bus.publish(progress(5))
    expect(seen).toEqual([5])
    expect(errors).toEqual([{ msg: 'a progress listener failed and was skipped', fields: { taskId: 5, error: 'view crashed' } }])
  })
})

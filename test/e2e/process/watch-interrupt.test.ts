import { afterAll, describe, expect, it } from 'vitest'
import { enqueueWaitingTask, startCli } from '../pipeline/pipeline-fixture.js'
import { E2E_TIMEOUT, initHome, removeTempHomes, seedRecordings } from '../helpers.js'

/**
 * `tasks watch` stops like every long command (the shared interrupt handling): the first Ctrl-C or SIGTERM stops
 * watching with exit 130 and a hint, and leaves the task alone.
 */
describe('tasks watch, interrupted', () => {
  afterAll(removeTempHomes)

  it('stops watching on SIGTERM with exit 130; the task goes on', { timeout: E2E_TIMEOUT }, async () => {
    const home = await initHome()
    await seedRecordings(home, [{ display_name: 'Math 1', start_time: '2026-03-02T09:00:00Z', status: 'INITIALIZED' }])
    const taskId = await enqueueWaitingTask(home, 1, new Date(Date.now() + 3_600_000))
    const watch = startCli(['tasks', 'watch', String(taskId)], { home })
    await watch.waitForLine(new RegExp(`task ${taskId}\\b`))
    watch.child.kill('SIGTERM')
    const exit = await watch.exited
    expect(exit, watch.stderr()).toEqual({ code: 130, signal: null })
    expect(watch.stderr()).toContain(`stopped watching task ${taskId}; it goes on`)
  })
})

import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { Worker } from '../../../src/jobs/worker.js'
import { ROOT } from '../../support/cli.js'
import { harness, ManualClock, testRegistry, waitFor, type Harness } from './harness.js'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(() => h.cleanup())

it('runs again, in a new worker, a task whose worker process was killed mid-run', async () => {
  const task = await h.enqueueTest(h.pro, { maxAttempts: 3 })
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'hanging-worker.ts'), h.file], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise((resolve) => child.on('exit', resolve))
  try {
    await waitFor(() => out.includes(`running ${task.id}`), 20_000).catch((e) => {
      throw new Error(`${(e as Error).message}; worker stderr: ${err}`)
    })
  } finally {
    child.kill('SIGKILL')
    await exited
  }
  const orphan = await h.task(task.id)
  expect(orphan).toMatchObject({ state: 'running', attempts: 1 })
  expect(out).toContain(orphan.lease_owner!)

  const clock = new ManualClock()
  clock.advance(1_000) // past the dead worker's 500 ms lease
  const report = await new Worker({ db: h.database.db, registry: testRegistry(async () => 'finished here'), clock, pollMs: 20 }).runUntilIdle()
  // The killed process's claim was not an attempt: the task ran once.
  expect(report.finished).toMatchObject([{ id: task.id, state: 'succeeded', attempts: 1, result: 'finished here' }])
}, 40_000)

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/app.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import {
  childPids,
  commandLine,
  describeRun,
  filesUnder,
  killIfStillOurs,
  makeLectureClip,
  partFilesUnder,
  query,
  setupLocalPipeline,
  startCli,
  type PipelineSetup,
  waitForTrimWriter,
} from './pipeline-fixture.js'

/*
 * Ctrl-C during `recflow run`: the terminal sends SIGINT to the whole foreground process group (recflow and its
 * ffmpeg), so the test does the same. The run must stop ffmpeg, leave no `.part`, mark the task cancelled (not
 * failed), put PROCESS back to PENDING, exit 130, and let the next run finish the recording.
 */

describe('Ctrl-C (SIGINT) during recflow run', () => {
  let work: string
  let setup: PipelineSetup
  const children: number[] = []

  beforeAll(async () => {
    work = tempHome('recflow-cancel-')
    const inbox = path.join(work, 'inbox')
    // 40 s of 160x90 video re-encoded by `pauses`: the test finds the trim mid-write by watching /proc
    // (waitForTrimWriter), and the run after the interrupted one re-encodes all of it (90 s cost ~2.7 s of CPU).
    await makeLectureClip(path.join(inbox, 'Lecture 12 Paxos.mp4'), { durationS: 40, size: '160x90' })
    setup = await setupLocalPipeline(path.join(work, 'home'), {
      inbox,
      destination: path.join(work, 'published'),
      processing: { trim_mode: 'pauses' },
    })
  })

  afterAll(() => {
    for (const pid of children) killIfStillOurs(pid, work)
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('cancels cleanly with exit 130 and the next run finishes the recording', async () => {
    const { home } = setup
    const live = startCli(['run'], { home })
    const writer = await waitForTrimWriter(live.pid, { ended: live.exited, within: home })
    children.push(...childPids(live.pid))
    expect(children).toContain(writer)
    expect(children.map(commandLine).some((c) => c?.includes('ffmpeg') && c.includes('Lecture 12 Paxos.mp4'))).toBe(true)
    process.kill(-live.pid, 'SIGINT')
    const exit = await live.exited

    expect(exit, `stdout: ${live.stdout()}\nstderr: ${live.stderr()}`).toEqual({ code: 130, signal: null })
    expect(live.stderr()).toContain('cancelling…')
    // The interrupted trim never looks finished (95 % is where PROCESS's trim step ends).
    expect(live.stdout()).toMatch(/process .*cancelled/)
    expect(live.stdout()).not.toMatch(/process 95%/)
    expect(live.stderr()).toMatch(/^Error: cancelled\nHint: run the same command again to resume/m)
    // ffmpeg is gone with it (it was stopped, not orphaned), and left nothing half-written.
    for (const pid of children) expect(commandLine(pid), `ffmpeg ${pid} still running`).toBeUndefined()
    expect(partFilesUnder(home, setup.destination)).toEqual([])
    expect(filesUnder(setup.destination)).toEqual([])

    const [task] = query<{ id: number; state: string; error: string }>(home, 'SELECT id, state, error FROM tasks WHERE recording_id = 1')
    expect(task).toMatchObject({ state: 'cancelled' })
    expect(JSON.parse(task!.error)).toMatchObject({ code: 'cancelled' })
    expect(query(home, 'SELECT stage_type, status FROM processing_stages WHERE recording_id = 1 ORDER BY id')).toEqual([
      { stage_type: 'DOWNLOAD', status: 'COMPLETED' },
      { stage_type: 'PROCESS', status: 'PENDING' },
    ])
    expect(query(home, 'SELECT status, failed, failed_reason FROM recordings WHERE id = 1')).toEqual([
      { status: 'DOWNLOADED', failed: 0, failed_reason: null },
    ])

    // The next run needs no process of its own (only the interrupted one did): in-process, a spawn less (~1 s CPU).
    const again = await runCommandInProcess(['run', '--json'], { home })
    expect(again.code, describeRun(['run', '--json'], again)).toBe(0)
    expect(again.json.data.recordings).toMatchObject([{ recordingId: 1, state: 'succeeded', result: { status: 'READY' } }])
    expect(query(home, 'SELECT id, state FROM tasks WHERE recording_id = 1 ORDER BY id')).toEqual([
      { id: task!.id, state: 'cancelled' },
      { id: task!.id + 1, state: 'succeeded' },
    ])
    expect(filesUnder(setup.destination)).toHaveLength(3)
    expect(partFilesUnder(home, setup.destination)).toEqual([])
  }, 240_000)
})

describe('`tasks cancel` from another terminal during recflow run', () => {
  let work: string
  let setup: PipelineSetup

  beforeAll(async () => {
    work = tempHome('recflow-cancel-other-')
    const inbox = path.join(work, 'inbox')
    await makeLectureClip(path.join(inbox, 'Lecture 13 Raft.mp4'), { durationS: 40, size: '160x90' })
    setup = await setupLocalPipeline(path.join(work, 'home'), { inbox, destination: path.join(work, 'published'), processing: { trim_mode: 'pauses' } })
  })

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('exits 130 like Ctrl-C and counts the recording as cancelled, not failed', async () => {
    const { home } = setup
    // What `recflow tasks cancel 1` does, from another connection to the database, while `recflow run` works. No
    // signal reaches recflow, so both run in this process (test/support/run-in-process.ts; two spawns cost ~2 s of
    // CPU). The worker sees the cancel at its next heartbeat (≤ 2 s): until then the trim's ffmpeg is held
    // (SIGSTOP), a trim slower than any heartbeat at no CPU, and it goes on once recflow has asked it to stop
    // (SIGTERM pending), so it ends the way a running one does.
    const other = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, HOME: home, RECFLOW_SECRET_STORE: 'file' }))
    const tasks = await other.service('tasks')
    const run = runCommandInProcess(['run'], { home })
    let writer: number | undefined
    try {
      writer = await waitForTrimWriter(process.pid, { ended: run, within: home })
      process.kill(writer, 'SIGSTOP')
      expect(await tasks.cancel(other.localUser, 1)).toMatchObject({ outcome: 'cancel_requested' })
      await until(() => signalPending(writer!, SIGTERM), 30_000)
      expect(signalPending(writer, SIGTERM), 'recflow asked the held ffmpeg to stop').toBe(true)
    } finally {
      if (writer !== undefined && commandLine(writer) !== undefined) process.kill(writer, 'SIGCONT')
      await other.close()
    }
    const { code, stdout, stderr } = await run

    const out = `stdout: ${stdout}\nstderr: ${stderr}`
    expect(code, out).toBe(130)
    expect(stdout, out).toMatch(/recording 1 "Lecture 13 Raft": cancelled/)
    expect(stdout + stderr, out).toMatch(/1 cancelled/)
    expect(stdout + stderr, out).not.toMatch(/failed/)
    expect(query(home, 'SELECT state FROM tasks WHERE id = 1')).toEqual([{ state: 'cancelled' }])
  }, 240_000)
})

/** Resolves once `done()` holds (looking every 20 ms), or after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20))
}

const SIGTERM = 15

/** True while signal number `signo` waits to be taken by the (stopped) process `pid`: /proc's pending masks. */
function signalPending(pid: number, signo: number): boolean {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const bit = 1n << BigInt(signo - 1)
  return [...status.matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)].some((m) => (BigInt(`0x${m[1]}`) & bit) !== 0n)
}

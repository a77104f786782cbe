import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, tempHome } from '../../support/cli.js'
import {
  childPids,
  describeRun,
  hashesUnder,
  makeLectureClip,
  mediaDir,
  partFilesUnder,
  PROCESS_ENDED,
  query,
  setupLocalPipeline,
  startCli,
  TRIM_PROGRESS,
  type PipelineSetup,
} from './pipeline-fixture.js'

/*
 * "Kill the process (SIGKILL) in the middle of processing, run again: it resumes and the result is identical."
 * The killed run's ffmpeg is orphaned and may still be writing its `.part` while the second run starts: that is
 * the hard case, and the reason this test does not kill it early.
 */

const LEASE_MS = 30_000

describe('recflow run killed with SIGKILL while PROCESS re-encodes', () => {
  let work: string
  let killed: PipelineSetup
  let reference: PipelineSetup
  const orphans: number[] = []

  beforeAll(async () => {
    work = tempHome('recflow-sigkill-')
    const inbox = path.join(work, 'inbox')
    // 90 s at 320x180, re-encoded by `pauses`: PROCESS takes a few seconds, a window the test hits reliably.
    await makeLectureClip(path.join(inbox, 'Lecture 07 Consensus.mp4'), { durationS: 90 })
    // Both homes read the very same file, so even its mtime (the start time) is shared.
    const setup = (name: string) =>
      setupLocalPipeline(path.join(work, name), { inbox, destination: path.join(work, name, 'published'), processing: { trim_mode: 'pauses' } })
    ;[killed, reference] = await Promise.all([setup('killed'), setup('reference')])
  })

  afterAll(() => {
    // The orphaned ffmpeg writes into an unlinked file by now; stop it if it still runs.
    for (const pid of orphans) {
      try {
        if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(work)) process.kill(pid, 'SIGKILL')
      } catch {
        // gone
      }
    }
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('resumes on the next run and ends with the same files as a run that was never killed', async () => {
    const referenceRun = runCli(['run', '--json'], { home: reference.home, timeoutMs: 240_000 })

    const live = startCli(['run'], { home: killed.home })
    await live.waitForLine(TRIM_PROGRESS, { failOn: PROCESS_ENDED })
    orphans.push(...childPids(live.pid))
    const killedAt = Date.now()
    live.child.kill('SIGKILL')
    expect(await live.exited).toEqual({ code: null, signal: 'SIGKILL' })

    // Consistent after the kill: the task still leased to the dead worker, PROCESS in progress, nothing published.
    const [task] = query<{ id: number; state: string; lease_owner: string; lease_expires_at: string; attempts: number }>(
      killed.home,
      'SELECT * FROM tasks WHERE recording_id = 1',
    )
    expect(task).toMatchObject({ state: 'running', attempts: 1 })
    expect(task!.lease_owner).toContain(`:${live.pid}:`)
    const leaseEnds = Date.parse(task!.lease_expires_at)
    expect(leaseEnds).toBeGreaterThan(killedAt - 1000)
    expect(leaseEnds).toBeLessThanOrEqual(killedAt + LEASE_MS)
    expect(query(killed.home, "SELECT status FROM processing_stages WHERE recording_id = 1 AND stage_type = 'PROCESS'")).toEqual([
      { status: 'IN_PROGRESS' },
    ])
    expect(query(killed.home, 'SELECT status, failed FROM recordings WHERE id = 1')).toEqual([{ status: 'PROCESSING', failed: 0 }])
    expect(fs.existsSync(killed.destination) ? fs.readdirSync(killed.destination) : []).toEqual([])

    const resumed = await runCli(['run', '--json'], { home: killed.home, timeoutMs: 240_000 })
    expect(resumed.code, describeRun(['run', '--json'], resumed)).toBe(0)
    expect(resumed.json.data.recordings).toMatchObject([{ recordingId: 1, state: 'succeeded', taskId: task!.id, result: { status: 'READY' } }])
    // The dead worker's lease did not have to run out: this host saw its pid gone and took the task back at once.
    const secondStart = query<{ at: string }>(killed.home, "SELECT at FROM task_events WHERE task_id = ? AND kind = 'started' ORDER BY id", task!.id)[1]
    expect(Date.parse(secondStart!.at)).toBeLessThan(leaseEnds)

    const ref = await referenceRun
    expect(ref.code, describeRun(['run', '--json'], ref)).toBe(0)
    expect(ref.json.data.recordings).toMatchObject([{ recordingId: 1, state: 'succeeded', result: { status: 'READY' } }])

    // Byte-identical artefacts (processed media, edit list, poster) and published files (media, poster, metadata).
    const artefacts = hashesUnder(mediaDir(killed.home, 1))
    expect(Object.keys(artefacts)).toEqual(['edit-list.json', 'poster.jpg', 'processed.mp4'])
    expect(artefacts).toEqual(hashesUnder(mediaDir(reference.home, 1)))
    const published = hashesUnder(killed.destination)
    expect(Object.keys(published).map((n) => path.extname(n)).sort()).toEqual(['.jpg', '.json', '.mp4'])
    expect(Object.keys(published).filter((n) => n.includes('(2)'))).toEqual([])
    expect(published).toEqual(hashesUnder(reference.destination))

    expect(partFilesUnder(killed.home, reference.home)).toEqual([])
    expect(query(killed.home, 'SELECT id, state FROM tasks WHERE recording_id = 1')).toEqual([{ id: task!.id, state: 'succeeded' }])
    expect(query(killed.home, 'SELECT status, failed FROM recordings WHERE id = 1')).toEqual([{ status: 'READY', failed: 0 }])
  }, 300_000)
})

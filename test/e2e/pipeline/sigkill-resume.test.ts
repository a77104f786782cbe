import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import {
  childPids,
  commandLine,
  describeRun,
  hashesUnder,
  killIfStillOurs,
  makeLectureClip,
  mediaDir,
  partFilesUnder,
  query,
  setupLocalPipeline,
  startCli,
  type PipelineSetup,
  waitForTrimWriter,
} from './pipeline-fixture.js'

/*
 * "Kill the process (SIGKILL) in the middle of processing, run again: it resumes and the result is identical."
 *
 * A SIGKILLed recflow cannot stop its ffmpeg: the orphan would keep writing the killed attempt's `.part`. Its pid
 * is recorded with the task, and the next run kills it when it takes the task back. The test holds the orphan
 * (SIGSTOP) while the second run starts and lets it go on (SIGCONT) later; either way the files must be exactly
 * those of a run that was never killed.
 *
 * Only the killed run is a process of its own (the SIGKILL is the point); the reference run and the run that
 * resumes run in this process (test/support/run-in-process.ts: the same compiled command, a spawn less each).
 *
 * The recording is audio only (an .m4a, like Zoom's audio-only files) in `pauses` mode: the AAC re-encode is
 * byte-reproducible. A video re-encode is not: libx264's frame threads make two clean runs of the same input
 * differ on a multi-core machine (see the media layer's pauses encoder). The test finds the encode mid-write by
 * watching /proc (waitForTrimWriter), so 40 s of audio (~0.7 s of CPU an encode, three of them) is enough where
 * waiting for a progress line took 2 minutes (~2.3 s an encode).
 */

const LEASE_MS = 30_000

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig)
    } catch {
      // already gone
    }
  }
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  while (pids.some((p) => commandLine(p) !== undefined) && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
}

describe('recflow run killed with SIGKILL while PROCESS re-encodes', () => {
  let work: string
  let killed: PipelineSetup
  let reference: PipelineSetup
  const orphans: number[] = []

  beforeAll(async () => {
    work = tempHome('recflow-sigkill-')
    const inbox = path.join(work, 'inbox')
    // 40 s with two spoken parts: `pauses` cuts the pause between them (a concat of two intervals).
    await makeLectureClip(path.join(inbox, 'Lecture 07 Consensus.m4a'), { durationS: 40, video: false })
    // Both homes read the very same file, so even its mtime (the start time) is shared.
    const setup = (name: string) =>
      setupLocalPipeline(path.join(work, name), { inbox, destination: path.join(work, name, 'published'), processing: { trim_mode: 'pauses' } })
    killed = await setup('killed')
    reference = await setup('reference')
  })

  afterAll(() => {
    signal(orphans, 'SIGCONT')
    for (const pid of orphans) killIfStillOurs(pid, work)
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('resumes on the next run and ends with the same files as a run that was never killed', async () => {
    const referenceRun = runCommandInProcess(['run', '--json'], { home: reference.home })

    const live = startCli(['run'], { home: killed.home })
    // The trim's ffmpeg, held (SIGSTOP) mid-write so it is still there, writing, when its recflow dies; recflow
    // records a child with the task once it has run 0.5 s (CHILD_RECORD_AFTER_MS), so the kill waits for that row.
    const writer = await waitForTrimWriter(live.pid, { ended: live.exited, within: killed.home })
    signal([writer], 'SIGSTOP')
    const recorded = () => query(killed.home, "SELECT 1 FROM task_events WHERE kind = 'child' AND message LIKE ?", `% pid ${writer}`).length > 0
    for (const until = Date.now() + 30_000; !recorded() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20))
    orphans.push(...childPids(live.pid).filter((pid) => commandLine(pid)?.includes('ffmpeg')))
    expect(orphans).toEqual([writer])
    const killedAt = Date.now()
    live.child.kill('SIGKILL')
    expect(await live.exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(commandLine(orphans[0]!), 'the orphaned ffmpeg').toMatch(/processed\.m4a\.[0-9a-f]{12}\.part/)

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

    // The reference run ends first (in-process commands run one at a time anyway; its ffmpeg is a child of this
    // process too, and must not be mistaken for the second run's).
    const ref = await referenceRun
    expect(ref.code, describeRun(['run', '--json'], ref)).toBe(0)
    expect(ref.json.data.recordings).toMatchObject([{ recordingId: 1, state: 'succeeded', result: { status: 'READY' } }])

    // The second run, with the orphan writing again while the run's own ffmpeg writes.
    const resumedRun = runCommandInProcess(['run'], { home: killed.home })
    await waitForTrimWriter(process.pid, { ended: resumedRun, within: killed.home }).catch(() => undefined)
    signal(orphans, 'SIGCONT')
    const resumed = await resumedRun
    expect(resumed.code, `stdout: ${resumed.stdout}\nstderr: ${resumed.stderr}`).toBe(0)
    expect(resumed.stdout).toMatch(/^recording 1 "Lecture 07 Consensus": READY$/m)
    await waitUntilGone(orphans, 60_000)
    expect(orphans.map(commandLine), 'the orphaned ffmpeg is gone').toEqual([undefined])
    // Its pid was recorded with the task, and the run that took the task back killed it.
    const recovered = query<{ message: string }>(killed.home, "SELECT message FROM task_events WHERE task_id = ? AND kind = 'recovered'", task!.id)
    expect(recovered.map((e) => e.message)).toEqual([expect.stringContaining(`pid ${orphans[0]}`)])

    // The dead worker's lease did not have to run out: this host saw its pid gone and took the task back at once.
    const starts = query<{ at: string }>(killed.home, "SELECT at FROM task_events WHERE task_id = ? AND kind = 'started' ORDER BY id", task!.id)
    expect(starts).toHaveLength(2)
    expect(Date.parse(starts[1]!.at)).toBeLessThan(leaseEnds)

    // Byte-identical artefacts (processed media, edit list) and published files (media, metadata).
    const artefacts = hashesUnder(mediaDir(killed.home, 1))
    expect(Object.keys(artefacts)).toEqual(['edit-list.json', 'processed.m4a'])
    expect(artefacts).toEqual(hashesUnder(mediaDir(reference.home, 1)))
    const published = hashesUnder(killed.destination)
    expect(Object.keys(published).map((n) => path.extname(n)).sort()).toEqual(['.json', '.m4a'])
    expect(Object.keys(published).filter((n) => n.includes('(2)'))).toEqual([])
    expect(published).toEqual(hashesUnder(reference.destination))

    expect(partFilesUnder(killed.home, reference.home)).toEqual([])
    expect(query(killed.home, 'SELECT id, state FROM tasks WHERE recording_id = 1')).toEqual([{ id: task!.id, state: 'succeeded' }])
    expect(query(killed.home, 'SELECT status, failed FROM recordings WHERE id = 1')).toEqual([{ status: 'READY', failed: 0 }])
  }, 300_000)
})

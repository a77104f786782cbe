import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dbSnapshot } from '../../support/db-snapshot.js'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess as runCli } from '../../support/run-in-process.js'
import { cliData, dbFile, describeRun, enqueueWaitingTask, hashesUnder, makeLectureClip, mediaDir, query, sha256, setupLocalPipeline, type PipelineSetup } from './pipeline-fixture.js'

/*
 * The commands that work on one recording: `recordings process` (dry run, pauses), `recordings run` (resume,
 * --force), `recordings reset`, and `run --dry-run`, each checked through what it prints and what it leaves in
 * the database and on disk. The steps build on each other, so they run in order in one test.
 */

describe('recordings process, run, reset and run --dry-run on one recording', () => {
  let work: string
  let setup: PipelineSetup
  let home: string
  let sourceFile: string
  let sourceHash: string

  beforeAll(async () => {
    work = tempHome('recflow-process-')
    // 6 s of lead-in, speech, an 8 s pause, speech, 6 s of tail: `edges` keeps the pause, `pauses` cuts it.
    sourceFile = await makeLectureClip(path.join(work, 'inbox', 'Lecture 04 Clocks.mp4'), { durationS: 34, size: '160x90', fps: 10, leadS: 6, tailS: 6, speakS: 8, pauseS: 8 })
    sourceHash = sha256(sourceFile)
    // No source: the recording comes in through `recordings add`, which matches it to the template.
    setup = await setupLocalPipeline(path.join(work, 'home'), { inbox: null, destination: path.join(work, 'published') })
    home = setup.home
  })

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

  it('plans without writing, trims, resumes, redoes, resets and runs again', async () => {
    const added = await cliData(['recordings', 'add', sourceFile], home)
    expect(added).toMatchObject({ created: true, recording: { id: 1, status: 'INITIALIZED', template_id: setup.templateId } })
    const id: number = added.recording.id

    // run --dry-run: the plan for every waiting recording, nothing written.
    const untouched = dbSnapshot(dbFile(home))
    const planned = await cliData(['run', '--dry-run'], home)
    expect(planned).toMatchObject({ dryRun: true, sync: null, recordings: [{ recordingId: id, state: 'succeeded', result: { dryRun: true } }] })
    expect(planned.recordings[0].result.stages).toContainEqual({ stage: 'PROCESS', outcome: 'planned', message: expect.stringMatching(/^edges trim: keep /) })
    expect(dbSnapshot(dbFile(home))).toBe(untouched)

    // process --dry-run prints the cut plan (here in pauses mode) and changes nothing, not even a media folder.
    const dry = await runCli(['recordings', 'process', String(id), '--dry-run', '--mode', 'pauses'], { home })
    expect(dry.code, describeRun(['recordings', 'process', '--dry-run'], dry)).toBe(0)
    expect(dry.stdout).toContain(`recording ${id} "Lecture 04 Clocks": plan (dry run, nothing written)`)
    expect(dry.stdout).toMatch(/process\s+planned: pauses trim: keep 0:2\d\.\d{3} of 0:34\.000, cut .*; keep 0:01\.000 - 0:14\.500 .*; cut {2}0:14\.500 - 0:21\.\d{3} /)
    expect(dbSnapshot(dbFile(home))).toBe(untouched)
    expect(fs.existsSync(path.join(home, 'data', 'media', 'user_1'))).toBe(false)

    // Run settings are checked like `config set` checks them: a bad one is bad input (exit 2, no task), a
    // fractional threshold is a good one.
    const negative = await runCli(['recordings', 'process', String(id), '--padding-before', '-3', '--json'], { home })
    expect(negative.code, describeRun(['recordings', 'process', '--padding-before', '-3'], negative)).toBe(2)
    expect(negative.json.error).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('processing.padding_before (--padding-before): must be >= 0'),
      hint: expect.stringContaining('recflow recordings process --help'),
    })
    const notANumber = await runCli(['recordings', 'process', String(id), '--min-pause', 'two'], { home })
    expect(notANumber.code).toBe(2)
    expect(notANumber.stderr).toContain('expected a number, got "two"')
    expect(dbSnapshot(dbFile(home))).toBe(untouched)
    const fractional = await runCli(['recordings', 'process', String(id), '--dry-run', '--threshold', '-40.5'], { home })
    expect(fractional.code, describeRun(['recordings', 'process', '--threshold', '-40.5'], fractional)).toBe(0)
    expect(dbSnapshot(dbFile(home))).toBe(untouched)

    // process --mode pauses: trims, then stops (later stages wait for `recordings run`), even though a task of an
    // earlier command (full pipeline, default settings) is waiting for its retry: that one is replaced, not run.
    const waiting = await enqueueWaitingTask(home, id, new Date(Date.now() + 3_600_000))
    const processed = await cliData(['recordings', 'process', String(id), '--mode', 'pauses'], home)
    expect(processed.recordings[0]).toMatchObject({ state: 'succeeded', result: { status: 'PROCESSED' } })
    expect(processed.recordings[0].taskId).not.toBe(waiting)
    expect(query(home, 'SELECT state FROM tasks WHERE id = ?', waiting)).toEqual([{ state: 'cancelled' }])
    const shown = await cliData(['recordings', 'show', String(id)], home)
    const stage = (type: string) => shown.stages.find((s: { stage_type: string }) => s.stage_type === type)
    expect(shown).toMatchObject({ status: 'PROCESSED', failed: false, processed_file: path.join(mediaDir(home, id), 'processed.mp4'), targets: [] })
    expect(stage('DOWNLOAD')).toMatchObject({ status: 'COMPLETED' })
    expect(stage('PROCESS')).toMatchObject({ status: 'COMPLETED', attempts: 1, stage_meta: { mode: 'pauses', source_duration: 34 } })
    expect(stage('PROCESS').stage_meta.kept_s).toBeCloseTo(25, 0)
    expect(stage('TRANSCRIBE')).toBeUndefined()
    const pausesHash = sha256(shown.processed_file)
    expect(fs.existsSync(setup.destination)).toBe(false)

    // recordings run: resumes after PROCESS (the pauses cut stays) and publishes it.
    const ran = await cliData(['recordings', 'run', String(id)], home)
    expect(ran.recordings[0]).toMatchObject({ state: 'succeeded', result: { status: 'READY', targets: [{ status: 'UPLOADED' }] } })
    expect(ran.recordings[0].result.stages.find((s: { stage: string }) => s.stage === 'PROCESS')).toEqual({ stage: 'PROCESS', outcome: 'resumed' })
    const publishedMedia: string = ran.recordings[0].result.targets[0].location
    // `recordings show` says where the target was published.
    const shownReady = await runCli(['recordings', 'show', String(id)], { home })
    expect(shownReady.stdout).toMatch(new RegExp(`^local +${setup.presetId} +UPLOADED +${publishedMedia.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'))
    expect(sha256(publishedMedia)).toBe(pausesHash)
    const firstPublish = hashesUnder(setup.destination)
    expect(Object.keys(firstPublish)).toHaveLength(3)

    // --force PROCESS: redone with the configured mode (edges keeps the pause: longer), republished in place.
    const forced = await cliData(['recordings', 'run', String(id), '--force', 'PROCESS'], home)
    expect(forced.recordings[0]).toMatchObject({ state: 'succeeded', result: { status: 'READY' } })
    expect(forced.recordings[0].result.stages).toContainEqual({ stage: 'PROCESS', outcome: 'completed', message: expect.stringMatching(/^kept 3\d\.\d s of 34\.0 s$/) })
    const edgesHash = sha256(path.join(mediaDir(home, id), 'processed.mp4'))
    expect(edgesHash).not.toBe(pausesHash)
    expect(Object.keys(hashesUnder(setup.destination))).toEqual(Object.keys(firstPublish))
    expect(sha256(publishedMedia)).toBe(edgesHash)

    // reset: artefacts and stages gone, the template binding kept, published files and the source left alone; the
    // published target is kept (without --forget-published), so the run after it does not publish a second copy.
    const beforeReset = hashesUnder(setup.destination)
    const reset = await cliData(['recordings', 'reset', String(id)], home)
    expect(reset).toMatchObject({ id, status: 'INITIALIZED', removedStages: 5, removedTargets: 0, keptTargets: 1 })
    expect(fs.existsSync(mediaDir(home, id))).toBe(false)
    expect(hashesUnder(setup.destination)).toEqual(beforeReset)

    // ...and the recording runs again from the start.
    const again = await cliData(['recordings', 'run', String(id)], home)
    expect(again.recordings[0]).toMatchObject({ state: 'succeeded', result: { status: 'READY', targets: [{ status: 'UPLOADED' }] } })
    expect(again.recordings[0].result.stages.filter((s: { outcome: string }) => s.outcome === 'completed').map((s: { stage: string }) => s.stage)).toEqual([
      'DOWNLOAD',
      'PROCESS',
    ])
    expect(sha256(path.join(mediaDir(home, id), 'processed.mp4'))).toBe(edgesHash)
    for (const [name, hash] of Object.entries(beforeReset)) expect(hashesUnder(setup.destination)[name], name).toBe(hash)
    expect(sha256(sourceFile)).toBe(sourceHash)
  }, 240_000)

  it('refuses an unknown recording, an unknown stage and an out-of-range threshold without changing anything', async () => {
    const before = dbSnapshot(dbFile(home))
    const cases: Array<{ args: string[]; code: number; error: string }> = [
      { args: ['recordings', 'process', '999'], code: 3, error: 'not_found' },
      { args: ['recordings', 'run', '1', '--force', 'NOPE'], code: 2, error: 'usage' },
      { args: ['recordings', 'process', '1', '--threshold', '5'], code: 2, error: 'validation' },
    ]
    const results = await Promise.all(cases.map((c) => runCli([...c.args, '--json'], { home })))
    results.forEach((r, i) => {
      expect(r.code, describeRun(cases[i]!.args, r)).toBe(cases[i]!.code)
      expect(r.json).toMatchObject({ ok: false, error: { code: cases[i]!.error, message: expect.any(String), hint: expect.any(String) } })
    })
    expect(results[0]!.json.error.message).toMatch(/recording 999/)
    expect(results[1]!.json.error.message).toMatch(/NOPE/)
    expect(results[2]!.json.error.message).toMatch(/threshold/)
    expect(dbSnapshot(dbFile(home))).toBe(before)
  }, 60_000)
})

import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { putFile } from './support.js'

// `recflow jobs ...` through oclif in-process on dist/ (build first).

let home: string
const cli = (...args: string[]) => runCommandInProcess(args, { home })
const folder = (name: string) => {
  const dir = path.join(home, name)
  fs.mkdirSync(dir, { recursive: true })
  return dir
}
const ok = async (...args: string[]) => {
  const r = await cli(...args)
  expect(r.code, r.stderr + r.stdout).toBe(0)
  return r
}

beforeEach(() => {
  home = tempHome()
})
afterEach(() => fs.rmSync(home, { recursive: true, force: true }))

describe('recflow jobs', () => {
  it('adds from flags and from a file, lists, shows the next runs, edits, disables, enables and removes', async () => {
    await ok('sources', 'add', 'local', 'lectures', '--path', folder('lectures'))
    const added = await ok('jobs', 'add', 'algebra', '--source', 'lectures', '--weekdays', '0,2,4', '--at', '18:30', '--timezone', 'Europe/Berlin', '--no-upload', '--json')
    const job = added.json.data
    expect(job).toMatchObject({ name: 'algebra', source_ids: [1], upload: false, max_parallel: 1, is_active: true })
    expect(job.schedule).toEqual({ type: 'weekdays', days: [0, 2, 4], time: '18:30', timezone: 'Europe/Berlin' })

    const shown = await ok('jobs', 'show', String(job.id))
    expect(shown.stdout).toMatch(/Next runs:/)
    expect(shown.stdout.match(/18:30 \(Europe\/Berlin, \+0[12]:00\)\s+=\s+\d{4}-\d\d-\d\dT1[67]:30:00\.000Z/g)).toHaveLength(5)

    const edited = await ok('jobs', 'edit', String(job.id), '--timezone', 'America/New_York', '--max-parallel', '2', '--json')
    expect(edited.json.data.schedule).toEqual({ type: 'weekdays', days: [0, 2, 4], time: '18:30', timezone: 'America/New_York' })
    expect(edited.json.data.max_parallel).toBe(2)

    fs.writeFileSync(path.join(home, 'job.yaml'), 'name: six-hourly\nsource_ids: [1]\nschedule:\n  type: hours\n  every_hours: 6\nupload: true\n')
    const fromFile = await ok('jobs', 'add', '--file', path.join(home, 'job.yaml'), '--timezone', 'Asia/Tokyo', '--json')
    expect(fromFile.json.data.schedule).toEqual({ type: 'hours', every_hours: 6, timezone: 'Asia/Tokyo' })

    const listed = await ok('jobs', 'list')
    expect(listed.stdout).toMatch(/NEXT RUN \(UTC\)/)
    expect(listed.stdout).toMatch(/algebra .*18:30/)
    expect(listed.stdout).toMatch(/six-hourly .*every 6 hours/i)

    const disabled = await ok('jobs', 'disable', String(job.id), '--json')
    expect(disabled.json.data).toMatchObject({ is_active: false, next_run_at: null })
    expect((await ok('jobs', 'show', String(job.id))).stdout).toMatch(/disabled/)
    expect((await ok('jobs', 'enable', String(job.id), '--json')).json.data.next_run_at).not.toBeNull()
    expect((await ok('jobs', 'runs', String(job.id))).stdout).toMatch(/has not run yet/)
    expect((await ok('jobs', 'remove', String(job.id))).stdout).toMatch(/Removed automation job/)
    expect((await ok('jobs', 'list', '--json')).json.data.items.map((j: { name: string }) => j.name)).toEqual(['six-hourly'])
  })

  it('refuses conflicting or incomplete schedule flags and invalid values as usage errors naming the fix', async () => {
    await ok('sources', 'add', 'local', 'lectures', '--path', folder('lectures'))
    const both = await cli('jobs', 'add', 'x', '--source', '1', '--cron', '0 9 * * *', '--every-hours', '2', '--json')
    expect(both.code).toBe(2)
    expect(both.json.error.message).toMatch(/--cron and --every-hours/)
    const noTime = await cli('jobs', 'add', 'x', '--source', '1', '--weekdays', '0,2', '--json')
    expect(noTime.code).toBe(2)
    expect(noTime.json.error.message).toMatch(/--weekdays needs --at/)
    const badCron = await cli('jobs', 'add', 'x', '--source', '1', '--cron', '61 * * * *', '--json')
    expect(badCron.code).toBe(2)
    expect(badCron.json.error.message).toMatch(/cron/)
    expect((await ok('jobs', 'list', '--json')).json.data.items).toEqual([])
  })

  it("jobs run processes only this run's recordings and records the run; jobs runs lists it", async () => {
    await ok('sources', 'add', 'local', 'lectures', '--path', folder('lectures'))
    await ok('sources', 'add', 'local', 'seminars', '--path', folder('seminars'))
    await ok('templates', 'add', 'Algebra', '--keyword', 'algebra')
    putFile(folder('seminars'), 'Algebra seminar.mp4')
    await ok('sync', 'seminars') // waiting, but not this job's: a `recflow run` would take it, `jobs run` not
    putFile(folder('lectures'), 'Algebra 01.mp4') // not real media: its processing fails at the first stage, cheaply
    const job = (await ok('jobs', 'add', 'algebra', '--source', 'lectures', '--at', '02:00', '--json')).json.data

    const r = await cli('jobs', 'run', String(job.id), '--json')
    expect(r.code, r.stderr).toBe(1) // the recording failed
    const { summary, run } = r.json.data
    expect(summary).toMatchObject({ jobId: job.id, status: 'succeeded', scheduledFor: null, synced: 1, matched: 1, queued: 1 })
    expect(run.recordings).toHaveLength(1)
    expect(run.recordings[0]).toMatchObject({ recordingId: summary.recordingIds[0], displayName: 'Algebra 01', state: 'failed' })
    const seminar = (await ok('recordings', 'list', '--json')).json.data.items.find((x: { display_name: string }) => x.display_name === 'Algebra seminar')
    expect(seminar).toMatchObject({ status: 'INITIALIZED', failed: false })

    const runs = await ok('jobs', 'runs', String(job.id))
    expect(runs.stdout).toMatch(/RUN\s+STATUS\s+SCHEDULED \(UTC\)/)
    expect(runs.stdout).toMatch(new RegExp(`${summary.runId}\\s+succeeded\\s+by hand`))
    const text = await cli('jobs', 'run', String(job.id))
    expect(text.stdout).toMatch(/run \d+: succeeded; synced 0 new or changed recording\(s\), matched 0, queued 0/)
  })
})

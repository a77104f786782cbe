import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { foregroundRunLines } from '../../../src/cli/presenters/jobs.js'
import { FIREWORKS_DEFAULT_MODEL, FIREWORKS_MODELS } from '../../../src/providers/transcription/fireworks-models.js'
import { YOUTUBE_UNITS } from '../../../src/services/automation/job-estimate.js'
import { removeDir } from '../../fixtures/media/generate.js'
import { tempHome } from '../../support/cli.js'
import { dbSnapshot } from '../../support/db-snapshot.js'
import { seedYoutubeCredential } from '../../support/publish-ready.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { makeStock, put } from '../sync/support.js'
import { addFolderSource, addTemplate, openJobsApp, putFile, type JobsTestApp } from './support.js'

// `recflow jobs ...` through oclif in-process on dist/ (build first), and the Must-show dry run (at the end).

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

describe('Must-show: a dry run', () => {
  // Must-show (issue 11): a dry run against a source with new recordings lists them, with the estimated cost and
  // YouTube quota units, and leaves the database byte-identical.

  let t: JobsTestApp
  let jobId: number
  let dbFile: string

  /**
   * Every file under the home with its bytes' hash: the database, its WAL and anything else a command could write,
   * except the media toolbox's cache of ffmpeg/ffprobe versions (data/media-tools.json), which any command that
   * reads media writes the first time (the dry run reads each new file's length with ffprobe).
   */
  function homeBytes(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const rel of (fs.readdirSync(t.home, { recursive: true }) as string[]).sort()) {
      const file = path.join(t.home, rel)
      if (rel === path.join('data', 'media-tools.json')) continue
      if (fs.statSync(file).isFile()) out[rel] = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
    }
    return out
  }

  beforeAll(async () => {
    t = await openJobsApp()
    const lectures = await addFolderSource(t, 'lectures')
    await addFolderSource(t, 'seminars')
    const credential = await seedYoutubeCredential(t.app, 'token-unused')
    const presets = await t.app.service('presets')
    const channel = await presets.create(t.user, {
      name: 'Channel',
      platform: 'youtube',
      credential_id: credential,
      preset_metadata: { title_template: '{display_name}', playlist_id: 'PL-algebra', thumbnail: 'poster' },
    })
    const archive = await presets.create(t.user, { name: 'Archive', platform: 'local', preset_metadata: { destination: t.folder('archive') } })
    const algebra = await addTemplate(t, 'Algebra', { keywords: ['algebra'] }, { output_config: { preset_ids: [channel.id, archive.id] } })
    await addTemplate(t, 'Physics', { keywords: ['physics'] })
    putFile(t.folder('lectures'), 'Algebra 01.mp4')
    await (await t.app.service('sync')).sync(t.user, { sourceIds: [lectures.id] }, {}) // known: not new
    const stock = await makeStock() // a real 2 s clip: its length is read (ffprobe), the random files' is not
    put(stock.mp4, t.folder('lectures'), 'Algebra 02.mp4')
    removeDir(stock.dir)
    await t.scope.configs.set({ transcription: { provider: 'fireworks' } })
    putFile(t.folder('lectures'), 'week 3/Algebra 03.mp4')
    putFile(t.folder('lectures'), 'Physics 01.mp4')
    putFile(t.folder('lectures'), 'standup.mp4')
    putFile(t.folder('seminars'), 'Algebra seminar.mp4') // not the job's source
    jobId = (await (await t.app.service('jobs')).add(t.user, { name: 'algebra', source_ids: [lectures.id], template_ids: [algebra.id], schedule: { type: 'time_of_day', time: '02:00' } })).id
    dbFile = t.app.env.dbPath
  })
  afterAll(() => removeDir(t.home))

  describe('jobs run --dry-run', () => {
    it('lists the new recordings with what would be processed and published, the quota units, and writes nothing', async () => {
      await t.app.close()
      const before = { rows: dbSnapshot(dbFile), bytes: homeBytes() }
      expect(before.bytes[path.relative(t.home, dbFile)]).toBeDefined()

      const r = await runCommandInProcess(['jobs', 'run', String(jobId), '--dry-run', '--json'], { home: t.home })

      expect(r.code, r.stderr).toBe(0)
      expect({ rows: dbSnapshot(dbFile), bytes: homeBytes() }).toEqual(before)
      const { summary, run } = r.json.data
      expect(run).toBeNull()
      expect(summary).toMatchObject({ jobId, dryRun: true, runId: null, synced: 4, matched: 2, queued: 0, recordingIds: [], taskIds: [], upload: true })
      const plan = summary.plan
      expect(plan.sources).toEqual([{ sourceId: 1, name: 'lectures', platform: 'local', found: 5 }])
      const byFile = Object.fromEntries(plan.recordings.map((x: { file: string }) => [x.file, x]))
      expect(Object.keys(byFile).sort()).toEqual(['Algebra 02.mp4', 'Physics 01.mp4', 'standup.mp4', 'week 3/Algebra 03.mp4'])
      const published = [
        { presetId: 1, name: 'Channel', platform: 'youtube' },
        { presetId: 2, name: 'Archive', platform: 'local' },
      ]
      const price = FIREWORKS_MODELS[FIREWORKS_DEFAULT_MODEL]!.pricePerMinuteUsd
      const clip = byFile['Algebra 02.mp4']
      expect(clip).toMatchObject({ displayName: 'Algebra 02', templateName: 'Algebra', processed: true, publishTo: published, transcribed: true, pricePerMinuteUsd: price })
      expect(clip.durationS).toBeCloseTo(2, 1)
      expect(clip.transcriptionCostUsd).toBeCloseTo((clip.durationS / 60) * price, 6)
      expect(byFile['week 3/Algebra 03.mp4']).toMatchObject({ displayName: 'Algebra 03', processed: true, publishTo: published, durationS: null, transcriptionCostUsd: null })
      expect(byFile['Physics 01.mp4']).toMatchObject({ templateName: 'Physics', processed: false, publishTo: [] })
      expect(byFile['standup.mp4']).toMatchObject({ templateId: null, processed: false })
      // Upload, thumbnail, playlist and captions for each of the two Algebra recordings.
      const perVideo = YOUTUBE_UNITS.insert + YOUTUBE_UNITS.thumbnail + YOUTUBE_UNITS.playlist + YOUTUBE_UNITS.captions
      expect(plan.estimate).toEqual({ transcriptionMinutes: 0, unknownDurations: 1, unpriced: 0, transcriptionCostUsd: clip.transcriptionCostUsd, youtubeQuotaUnits: 2 * perVideo })

      const text = { stdout: foregroundRunLines(r.json.data).join('\n') } // what the command prints without --json
      expect(text.stdout).toMatch(/dry run, nothing written/)
      expect(text.stdout).toMatch(/new: Algebra 02\.mp4 "Algebra 02": process with template "Algebra"; publish to Channel \(youtube\), Archive \(local\)/)
      expect(text.stdout).toMatch(/new: Physics 01\.mp4 "Physics 01": matched "Physics", not one of the job's templates: skip/)
      expect(text.stdout).toMatch(new RegExp(`Estimate: 0 min to transcribe, about \\$${clip.transcriptionCostUsd.toFixed(4)} \\(not counted: 1 of unreadable length\\); YouTube quota ${2 * perVideo} units`))
      expect(text.stdout).not.toMatch(/Algebra seminar|Algebra 01/)
    })
  })
})

import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { YOUTUBE_UNITS } from '../../../src/services/automation/job-estimate.js'
import { dbSnapshot } from '../../support/db-snapshot.js'
import { seedYoutubeCredential } from '../../support/publish-ready.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { removeDir } from '../../fixtures/media/generate.js'
import { addFolderSource, addTemplate, openJobsApp, putFile, type JobsTestApp } from './support.js'

// Must-show (issue 11): a dry run against a source with new recordings lists them, with the estimated cost and
// YouTube quota units, and leaves the database byte-identical.

let t: JobsTestApp
let jobId: number
let dbFile: string

/** Every file under the home with its bytes' hash: the database, its WAL and anything else a command could write. */
function homeBytes(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const rel of (fs.readdirSync(t.home, { recursive: true }) as string[]).sort()) {
    const file = path.join(t.home, rel)
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
  putFile(t.folder('lectures'), 'Algebra 02.mp4')
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
    const text = await runCommandInProcess(['jobs', 'run', String(jobId), '--dry-run'], { home: t.home })

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
    expect(byFile['Algebra 02.mp4']).toMatchObject({ displayName: 'Algebra 02', templateName: 'Algebra', processed: true, publishTo: published, durationS: null })
    expect(byFile['week 3/Algebra 03.mp4']).toMatchObject({ displayName: 'Algebra 03', processed: true, publishTo: published })
    expect(byFile['Physics 01.mp4']).toMatchObject({ templateName: 'Physics', processed: false, publishTo: [] })
    expect(byFile['standup.mp4']).toMatchObject({ templateId: null, processed: false })
    // Upload, thumbnail, playlist and captions for each of the two Algebra recordings.
    const perVideo = YOUTUBE_UNITS.insert + YOUTUBE_UNITS.thumbnail + YOUTUBE_UNITS.playlist + YOUTUBE_UNITS.captions
    expect(plan.estimate).toEqual({ transcriptionMinutes: 0, unknownDurations: 2, transcriptionCostUsd: null, pricePerMinuteUsd: null, youtubeQuotaUnits: 2 * perVideo })

    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/dry run, nothing written/)
    expect(text.stdout).toMatch(/new: Algebra 02\.mp4 "Algebra 02": process with template "Algebra"; publish to Channel \(youtube\), Archive \(local\)/)
    expect(text.stdout).toMatch(/new: Physics 01\.mp4 "Physics 01": matched "Physics", not one of the job's templates: skip/)
    expect(text.stdout).toMatch(new RegExp(`YouTube quota ${2 * perVideo} units`))
    expect(text.stdout).not.toMatch(/Algebra seminar|Algebra 01/)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NewRecording } from '../../src/db/index.js'
import { dbSnapshot } from '../support/db-snapshot.js'
import { cliData, cloneHome, dbFileOf, E2E_TIMEOUT, initHome, removeTempHomes, runCli, withLocalUser } from './helpers.js'

/**
 * Recordings come from sync, which is not built yet, so they are seeded through the db layer; everything else
 * goes through the CLI: `recordings list` filters and keyset pages, `recordings show`, and the template
 * commands that read recordings (`from-recording`, `preview`).
 */

interface Seeded {
  home: string
  lectures: number
  guests: number
  algebra: number
  seminarsTemplate: number
  preset: number
  r: Record<'algebra1' | 'algebra2' | 'algebra3' | 'physics' | 'guest' | 'review', number>
  /** Five recordings with the same start time, oldest id first. */
  seminars: number[]
}

async function seed(): Promise<Seeded> {
  const home = await initHome()
  return withLocalUser(home, async (s) => {
    const lectures = (await s.sources.create({ name: 'Lectures', platform: 'local', config: { path: '/srv/lectures' } })).id
    const guests = (await s.sources.create({ name: 'Guests', platform: 'local', config: { path: '/srv/guests' } })).id
    const algebra = (await s.templates.create({ name: 'Algebra', matching_rules: { keywords: ['Algebra'] } })).id
    const seminarsTemplate = (await s.templates.create({ name: 'Seminars', matching_rules: { patterns: ['^(Seminar|Physics) [0-9]+$'] } })).id
    const preset = (await s.presets.create({ name: 'Archive', platform: 'local', preset_metadata: { destination: '/srv/out' } })).id
    const add = async (r: NewRecording) => (await s.recordings.create(r)).id
    const mapped = { template_id: algebra, is_mapped: true }
    const r = {
      algebra1: await add({ display_name: 'Algebra 1', start_time: '2026-03-01T09:00:00Z', status: 'INITIALIZED', input_source_id: lectures, ...mapped }),
      algebra2: await add({ display_name: 'Algebra 2', start_time: '2026-03-08T09:00:00Z', status: 'READY', input_source_id: lectures, duration: 5400.5, ...mapped }),
      physics: await add({
        display_name: 'Physics 1',
        start_time: '2026-03-02T10:00:00Z',
        status: 'SKIPPED',
        input_source_id: guests,
        processing_config_override: { processing: { padding_before: 1 } },
      }),
      guest: await add({ display_name: 'Guest talk: 100% real', start_time: '2026-02-15T12:00:00Z', status: 'SKIPPED' }),
      algebra3: await add({ display_name: 'Algebra 3', start_time: '2026-04-01T09:00:00Z', status: 'DOWNLOADED', ...mapped }),
      review: await add({ display_name: 'Linear algebra review', start_time: '2026-01-10T09:00:00Z', status: 'SKIPPED' }),
    }
    await s.recordings.markFailed(r.guest, { stage: 'DOWNLOAD', reason: 'file vanished' })
    await s.recordings.markFailed(r.algebra3, { stage: 'PROCESS', reason: 'ffmpeg exited with 1', status: 'DOWNLOADED' })
    const seminars: number[] = []
    for (let i = 1; i <= 5; i++) seminars.push(await add({ display_name: `Seminar ${i}`, start_time: '2026-05-01T10:00:00Z', status: 'SKIPPED' }))

    await s.stages.create({ recording_id: r.algebra2, stage_type: 'DOWNLOAD', status: 'COMPLETED' })
    await s.stages.create({ recording_id: r.algebra2, stage_type: 'PROCESS', status: 'COMPLETED' })
    await s.stages.create({ recording_id: r.algebra2, stage_type: 'TRANSCRIBE', status: 'SKIPPED' })
    await s.targets.create({ recording_id: r.algebra2, preset_id: preset, target_type: 'local', status: 'UPLOADED', target_meta: { path: '/srv/out/Algebra 2.mp4' } })
    return { home, lectures, guests, algebra, seminarsTemplate, preset, r, seminars }
  })
}

const ids = (page: { items: Array<{ id: number }> }) => page.items.map((i) => i.id)


afterAll(removeTempHomes)
describe('recordings through the CLI', { timeout: E2E_TIMEOUT }, () => {
  let w: Seeded
  beforeAll(async () => {
    w = await seed()
  }, E2E_TIMEOUT)

  it('filters by status, template, source, search, date range, failed and mapped', async () => {
    const { r, seminars } = w
    const list = (...args: string[]) => cliData(w.home, ['recordings', 'list', ...args]).then(ids)
    const newestSeminarsFirst = [...seminars].reverse()
    const checks: Array<[string[], number[]]> = [
      [[], [...newestSeminarsFirst, r.algebra3, r.algebra2, r.physics, r.algebra1, r.guest, r.review]],
      [['--status', 'SKIPPED'], [...newestSeminarsFirst, r.physics, r.guest, r.review]],
      [['--status', 'initialized', '--status', 'READY'], [r.algebra2, r.algebra1]],
      [['--template', String(w.algebra)], [r.algebra3, r.algebra2, r.algebra1]],
      [['--source', String(w.lectures)], [r.algebra2, r.algebra1]],
      [['--search', 'ALGEBRA'], [r.algebra3, r.algebra2, r.algebra1, r.review]],
      [['--search', '100%'], [r.guest]], // % is literal, not a wildcard
      [['--search', '%'], [r.guest]],
      [['--from', '2026-03-01', '--to', '2026-03-08'], [r.physics, r.algebra1]],
      [['--from', '2026-03-02T10:00:00Z', '--to', '2026-03-08T09:00:01Z'], [r.algebra2, r.physics]],
      [['--failed'], [r.algebra3, r.guest]],
      // The guest talk is SKIPPED and has an e, but failed.
      [['--no-failed', '--status', 'SKIPPED', '--search', 'e'], [...newestSeminarsFirst, r.review]],
      [['--mapped'], [r.algebra3, r.algebra2, r.algebra1]],
      [['--no-mapped', '--from', '2026-02-01', '--to', '2026-04-01'], [r.physics, r.guest]],
    ]
    const results = await Promise.all(checks.map(([args]) => list(...args)))
    checks.forEach(([args, expected], i) => expect(results[i], args.join(' ')).toEqual(expected))
  })

  it('pages through recordings with equal start times with --limit and --cursor, each exactly once', async () => {
    const page = (cursor?: string) =>
      cliData(w.home, ['recordings', 'list', '--search', 'Seminar', '--limit', '2', ...(cursor ? ['--cursor', cursor] : [])])
    const first = await page()
    const second = await page(first.nextCursor)
    const third = await page(second.nextCursor)
    expect([ids(first), ids(second), ids(third)]).toEqual([
      [w.seminars[4], w.seminars[3]],
      [w.seminars[2], w.seminars[1]],
      [w.seminars[0]],
    ])
    expect(typeof first.nextCursor).toBe('string')
    expect(third.nextCursor).toBeNull()

    // Without a filter: the pages of two, joined, are the one long list.
    const all = await cliData(w.home, ['recordings', 'list', '--limit', '100'])
    let cursor: string | null = (await cliData(w.home, ['recordings', 'list', '--limit', '7'])).nextCursor
    const rest = await cliData(w.home, ['recordings', 'list', '--limit', '7', '--cursor', cursor!])
    cursor = rest.nextCursor
    expect(cursor).toBeNull()
    expect(ids(rest)).toEqual(ids(all).slice(7))
  })

  it('shows a recording with its processing stages and output targets', async () => {
    const [shown, text, failed] = await Promise.all([
      cliData(w.home, ['recordings', 'show', String(w.r.algebra2)]),
      runCli(['recordings', 'show', String(w.r.algebra2)], { home: w.home }),
      cliData(w.home, ['recordings', 'show', String(w.r.algebra3)]),
    ])
    expect(shown).toMatchObject({ id: w.r.algebra2, display_name: 'Algebra 2', status: 'READY', duration: 5400.5, template_id: w.algebra })
    expect(shown.stages.map((s: { stage_type: string; status: string }) => [s.stage_type, s.status])).toEqual([
      ['DOWNLOAD', 'COMPLETED'],
      ['PROCESS', 'COMPLETED'],
      ['TRANSCRIBE', 'SKIPPED'],
    ])
    expect(shown.targets).toMatchObject([{ preset_id: w.preset, target_type: 'local', status: 'UPLOADED', target_meta: { path: '/srv/out/Algebra 2.mp4' } }])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/PROCESS\s+COMPLETED/)
    expect(text.stdout).toMatch(/local\s+1\s+UPLOADED/)
    expect(failed).toMatchObject({ status: 'DOWNLOADED', failed: true, failed_stage: 'PROCESS', failed_reason: 'ffmpeg exited with 1', stages: [], targets: [] })
  })

  it('creates a template from a recording: its exact title, its source and its config override', async () => {
    const home = cloneHome(w.home)
    const [exact, byPattern] = await Promise.all([
      cliData(home, ['templates', 'from-recording', String(w.r.physics), '--name', 'Physics']),
      cliData(home, ['templates', 'from-recording', String(w.r.guest), '--name', 'Guests', '--pattern', '^Guest talk', '--source', String(w.guests)]),
    ])
    expect(exact).toMatchObject({
      name: 'Physics',
      matching_rules: { exact_matches: ['Physics 1'], source_ids: [w.guests] },
      processing_config: { processing: { padding_before: 1 } },
      is_draft: false,
    })
    expect(byPattern.matching_rules).toMatchObject({ patterns: ['^Guest talk'], source_ids: [w.guests] })
    expect(byPattern.matching_rules).not.toHaveProperty('exact_matches')
    expect(await cliData(home, ['templates', 'show', String(exact.id)])).toEqual(exact)
    // The new template picks up the recording it came from.
    const preview = await cliData(home, ['templates', 'preview', String(exact.id)])
    expect(preview.matches.map((m: { recordingId: number }) => m.recordingId)).toEqual([w.r.physics])
  })

  it('previews which unmapped recordings a template would match, without changing anything', async () => {
    const home = cloneHome(w.home)
    const before = dbSnapshot(dbFileOf(home))
    const [algebra, seminars, text] = await Promise.all([
      cliData(home, ['templates', 'preview', String(w.algebra)]),
      cliData(home, ['templates', 'preview', String(w.seminarsTemplate)]),
      runCli(['templates', 'preview', String(w.algebra)], { home }),
    ])
    const unmapped = 5 + 3 // the seminars, physics, the guest talk and the review
    // Mapped recordings (Algebra 1-3) are not considered; the keyword is case-insensitive.
    expect(algebra).toMatchObject({ template: { id: w.algebra, name: 'Algebra' }, considered: unmapped })
    expect(algebra.matches).toEqual([{ recordingId: w.r.review, display_name: 'Linear algebra review', reason: expect.stringContaining('Algebra') }])
    expect(seminars.matches.map((m: { recordingId: number }) => m.recordingId).sort((a: number, b: number) => a - b)).toEqual(
      [w.r.physics, ...w.seminars].sort((a, b) => a - b),
    )
    expect(text.stdout).toContain(`would match 1 of ${unmapped} unmapped recording(s)`)
    expect(dbSnapshot(dbFileOf(home))).toBe(before)
  })
})

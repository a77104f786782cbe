import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeFile } from '../support/cli.js'
import { cliData, E2E_TIMEOUT, initHome, removeTempHomes, runCli, seedRecordings, withLocalUser } from './helpers.js'

/**
 * The foundation's "done when": a template, a preset and a source each go in through the CLI (flags and a
 * --file), come back equal from `show` and `list`, change with `edit` (flags and a file), and go away with `remove`.
 */

const without = <T extends Record<string, unknown>>(row: T, ...keys: string[]) =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)))

/** show equals what add/edit returned, and the item in list is the same row. */
async function expectRoundTrip(home: string, topic: string, rows: Array<{ id: number }>) {
  const [list, ...shown] = await Promise.all([
    cliData(home, [topic, 'list']),
    ...rows.map((r) => cliData(home, [topic, 'show', String(r.id)])),
  ])
  rows.forEach((row, i) => {
    expect(shown[i]).toEqual(row)
    expect(list.items.find((item: { id: number }) => item.id === row.id)).toEqual(row)
  })
  return list
}

async function expectRemoved(home: string, topic: string, id: number) {
  expect(await cliData(home, [topic, 'remove', String(id)])).toMatchObject({ id, removed: true })
  const show = await runCli([topic, 'show', String(id), '--json'], { home })
  expect(show.code).toBe(3)
  expect(show.json.error.code).toBe('not_found')
}

const seedCredential = (home: string, platform: string) =>
  withLocalUser(home, async (s) =>
    (await s.credentials.create({ platform, account_name: `${platform}-account`, encrypted_data: 'sealed', key_id: 'k1' })).id,
  )


afterAll(removeTempHomes)
describe('templates round-trip through the CLI', { timeout: E2E_TIMEOUT }, () => {
  it('adds from flags and from a YAML file, shows, lists, edits with flags and a file, and removes', async () => {
    const home = await initHome()
    const file = writeFile(
      home,
      'physics.yaml',
      [
        'name: Physics',
        'description: Mechanics course',
        'matching_rules:',
        '  exact_matches: ["Physics 101"]',
        '  exclude_patterns: ["(?i)cancel+ed"]',
        'processing_config:',
        '  processing: { padding_before: 2, trim_mode: pauses }',
        'metadata_config:',
        '  title_template: "{display_name} ({date:YYYY-MM-DD})"',
        '  tags: [physics, "{start_time:YYYY}"]',
      ].join('\n'),
    )
    const [math, physics] = await Promise.all([
      cliData(home, ['templates', 'add', 'Math', '--keyword', 'Math', '--pattern', '^Math [0-9]+', '--exclude-keyword', 'test', '--title', '{display_name} — {date}']),
      cliData(home, ['templates', 'add', '--file', file]),
    ])
    expect(math).toMatchObject({
      name: 'Math',
      matching_rules: { keywords: ['Math'], patterns: ['^Math [0-9]+'], exclude_keywords: ['test'] },
      metadata_config: { title_template: '{display_name} — {date}' },
      is_draft: false,
      is_active: true,
    })
    expect(physics).toMatchObject({
      name: 'Physics',
      description: 'Mechanics course',
      matching_rules: { exact_matches: ['Physics 101'], exclude_patterns: ['(?i)cancel+ed'] },
      processing_config: { processing: { padding_before: 2, trim_mode: 'pauses' } },
      metadata_config: { tags: ['physics', '{start_time:YYYY}'] },
    })
    const list = await expectRoundTrip(home, 'templates', [math, physics])
    // Matching order: oldest first (the two were added concurrently, so either may be older).
    const byCreation = [math, physics].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)
    expect(list.items.map((t: { id: number }) => t.id)).toEqual(byCreation.map((t) => t.id))

    const patch = writeFile(home, 'patch.json', { description: 'Mechanics, 2026', processing_config: { processing: { padding_before: 4 } } })
    const [mathEdited, physicsEdited] = await Promise.all([
      cliData(home, ['templates', 'edit', String(math.id), '--keyword', 'Algebra', '--keyword', 'Geometry', '--no-active']),
      cliData(home, ['templates', 'edit', String(physics.id), '--file', patch]),
    ])
    // List flags replace the whole list; what the flags do not name stays.
    expect(mathEdited.matching_rules).toMatchObject({ keywords: ['Algebra', 'Geometry'], patterns: ['^Math [0-9]+'] })
    expect(mathEdited.is_active).toBe(false)
    // A file is merged in: objects recurse.
    expect(physicsEdited.processing_config).toEqual({ processing: { padding_before: 4, trim_mode: 'pauses' } })
    expect(physicsEdited.description).toBe('Mechanics, 2026')
    expect(without(physicsEdited, 'description', 'processing_config', 'updated_at')).toEqual(
      without(physics, 'description', 'processing_config', 'updated_at'),
    )
    await expectRoundTrip(home, 'templates', [mathEdited, physicsEdited])

    await expectRemoved(home, 'templates', math.id)
    const after = await cliData(home, ['templates', 'list'])
    expect(after.items.map((t: { id: number }) => t.id)).toEqual([physics.id])
  })

  it('lets flags override the fields of a --file', async () => {
    const home = await initHome()
    const file = writeFile(home, 't.yaml', 'name: From file\nmatching_rules:\n  keywords: [file]\n')
    const t = await cliData(home, ['templates', 'add', 'From flag', '--file', file, '--keyword', 'flag'])
    expect(t).toMatchObject({ name: 'From flag', matching_rules: { keywords: ['flag'] } })
  })
})

describe('presets round-trip through the CLI', { timeout: E2E_TIMEOUT }, () => {
  it('adds local presets from flags and a JSON file, shows, lists, edits with flags and a file, and removes', async () => {
    const home = await initHome()
    const out = path.join(home, 'published')
    const file = writeFile(home, 'shelf.json', {
      name: 'Shelf',
      platform: 'local',
      description: 'A second copy',
      preset_metadata: { destination: path.join(home, 'shelf'), name_template: '{date:YYYY-MM-DD} {display_name}', captions: false },
    })
    const [archive, shelf] = await Promise.all([
      cliData(home, ['presets', 'add', 'Archive', '--platform', 'local', '--destination', out, '--title', '{display_name} — {date}', '--tag', 'lecture', '--tag', '{start_time:YYYY}']),
      cliData(home, ['presets', 'add', '--file', file]),
    ])
    expect(archive).toMatchObject({
      name: 'Archive',
      platform: 'local',
      credential_id: null,
      preset_metadata: { destination: out, title_template: '{display_name} — {date}', tags: ['lecture', '{start_time:YYYY}'] },
    })
    expect(shelf).toMatchObject({ name: 'Shelf', description: 'A second copy', preset_metadata: { captions: false } })
    await expectRoundTrip(home, 'presets', [archive, shelf])

    const patch = writeFile(home, 'patch.yaml', 'preset_metadata:\n  tags: [shelf]\n  copy_transcript: false\n')
    const [archiveEdited, shelfEdited] = await Promise.all([
      cliData(home, ['presets', 'edit', String(archive.id), '--title', '{display_name}', '--no-active']),
      cliData(home, ['presets', 'edit', String(shelf.id), '--file', patch]),
    ])
    expect(archiveEdited).toMatchObject({ is_active: false, preset_metadata: { title_template: '{display_name}', tags: ['lecture', '{start_time:YYYY}'] } })
    expect(shelfEdited.preset_metadata).toEqual({ ...shelf.preset_metadata, tags: ['shelf'], copy_transcript: false })
    await expectRoundTrip(home, 'presets', [archiveEdited, shelfEdited])

    const activeOnly = await cliData(home, ['presets', 'list', '--active-only'])
    expect(activeOnly.items.map((p: { id: number }) => p.id)).toEqual([shelf.id])
    await expectRemoved(home, 'presets', archive.id)
  })

  it('refuses a YouTube or VK preset without a credential and says one is needed', async () => {
    const home = await initHome()
    const [youtube, vk] = await Promise.all([
      runCli(['presets', 'add', 'Channel', '--platform', 'youtube', '--json'], { home }),
      runCli(['presets', 'add', 'Group', '--platform', 'vk'], { home }),
    ])
    expect(youtube.code).toBe(2)
    expect(youtube.json.error).toMatchObject({ code: 'validation', message: expect.stringMatching(/credential_id.*youtube presets need a credential/) })
    expect(vk.code).toBe(2)
    expect(vk.stderr).toMatch(/^Error: .*vk presets need a credential/m)
  })

  it('keeps a YouTube preset bound to a credential and maps --privacy to privacy_view on VK', async () => {
    const home = await initHome()
    const [youtubeCredential, vkCredential] = [await seedCredential(home, 'youtube'), await seedCredential(home, 'vk')]
    const [channel, group] = await Promise.all([
      cliData(home, ['presets', 'add', 'Channel', '--platform', 'youtube', '--credential', String(youtubeCredential), '--privacy', 'unlisted', '--playlist', 'PL123']),
      cliData(home, ['presets', 'add', 'Group', '--platform', 'vk', '--credential', String(vkCredential), '--album', '7']),
    ])
    expect(channel).toMatchObject({ credential_id: youtubeCredential, preset_metadata: { privacy: 'unlisted', playlist_id: 'PL123' } })
    await expectRoundTrip(home, 'presets', [channel, group])
    const edited = await cliData(home, ['presets', 'edit', String(group.id), '--privacy', 'friends'])
    expect(edited.preset_metadata).toMatchObject({ privacy_view: 'friends', album_id: 7 })
    expect(edited.preset_metadata).not.toHaveProperty('privacy')
  })

  it('renders a preset for the sample recording, for sample values and for a real recording with its template overrides', async () => {
    const home = await initHome()
    const preset = await cliData(home, ['presets', 'add', 'Archive', '--platform', 'local', '--destination', home, '--title', '{display_name} — {date}', '--tag', '{start_time:YYYY}'])
    const template = await cliData(home, ['templates', 'add', 'Algebra', '--keyword', 'Algebra', '--title', 'Algebra: {display_name} ({date:YYYY-MM-DD})'])
    const [plain, overridden] = await seedRecordings(home, [
      { display_name: 'Guest talk', start_time: '2025-11-05T14:30:00Z', duration: 3600 },
      { display_name: 'Lecture 3', start_time: '2026-04-01T08:00:00Z', duration: 5400, template_id: template.id, is_mapped: true },
    ])
    const [sample, custom, forPlain, forOverridden] = await Promise.all([
      cliData(home, ['presets', 'render', String(preset.id)]),
      cliData(home, ['presets', 'render', String(preset.id), '--title-sample', 'Algebra 3', '--start', '2026-03-02T09:00:00Z']),
      cliData(home, ['presets', 'render', String(preset.id), '--recording', String(plain)]),
      cliData(home, ['presets', 'render', String(preset.id), '--recording', String(overridden)]),
    ])
    expect(sample).toMatchObject({ sample: true, recording: null, title: 'Distributed Systems — Lecture 5 — 02.03.2026', tags: ['2026'] })
    expect(custom).toMatchObject({ sample: true, title: 'Algebra 3 — 02.03.2026' })
    expect(forPlain).toMatchObject({ sample: false, recording: { id: plain }, title: 'Guest talk — 05.11.2025', tags: ['2025'] })
    expect(forOverridden).toMatchObject({ recording: { id: overridden }, title: 'Algebra: Lecture 3 (2026-04-01)' })
  })
})

describe('sources round-trip through the CLI', { timeout: E2E_TIMEOUT }, () => {
  it('adds a local source from flags and a Zoom source from a YAML file, shows, lists, edits with flags and a file, and removes', async () => {
    const home = await initHome()
    const zoomCredential = await seedCredential(home, 'zoom')
    const file = writeFile(
      home,
      'zoom.yaml',
      `name: Department\nplatform: zoom\ncredential_id: ${zoomCredential}\nconfig:\n  user_id: teacher@example.edu\n  from: "2026-01-01"\n`,
    )
    const pattern = '(?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d)'
    fs.mkdirSync(path.join(home, 'recordings')) // a local source's folder must exist (or --allow-missing)
    const [local, zoom] = await Promise.all([
      cliData(home, ['sources', 'add', 'local', 'Lectures', '--path', 'recordings', '--glob', '**/*.mp4', '--name-pattern', pattern]),
      cliData(home, ['sources', 'add', '--file', file]),
    ])
    // A relative --path is resolved against the working directory (the home here), so sync finds it later.
    expect(local).toMatchObject({ platform: 'local', credential_id: null, config: { path: path.join(home, 'recordings'), glob: '**/*.mp4', name_pattern: pattern } })
    expect(zoom).toMatchObject({ platform: 'zoom', credential_id: zoomCredential, config: { user_id: 'teacher@example.edu', from: '2026-01-01' } })
    await expectRoundTrip(home, 'sources', [local, zoom])

    const patch = writeFile(home, 'patch.json', { config: { to: '2026-06-30', include_trash: true } })
    const [localEdited, zoomEdited] = await Promise.all([
      cliData(home, ['sources', 'edit', String(local.id), '--glob', '**/*.mkv', '--no-active']),
      cliData(home, ['sources', 'edit', String(zoom.id), '--file', patch]),
    ])
    expect(localEdited).toMatchObject({ is_active: false, config: { glob: '**/*.mkv', path: path.join(home, 'recordings'), name_pattern: pattern } })
    expect(zoomEdited.config).toEqual({ ...zoom.config, to: '2026-06-30', include_trash: true })
    await expectRoundTrip(home, 'sources', [localEdited, zoomEdited])

    const activeOnly = await cliData(home, ['sources', 'list', '--active-only'])
    expect(activeOnly.items.map((s: { id: number }) => s.id)).toEqual([zoom.id])
    await expectRemoved(home, 'sources', local.id)
  })

  it('refuses a Zoom source without a credential and says one is needed', async () => {
    const home = await initHome()
    const r = await runCli(['sources', 'add', 'zoom', 'Department', '--json'], { home })
    expect(r.code).toBe(2)
    expect(r.json.error.message).toMatch(/zoom sources need a credential/)
  })
})

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, writeFile } from '../support/cli.js'
import { dbSnapshot } from '../support/db-snapshot.js'
import { cliData, cloneHome, dbFileOf, E2E_TIMEOUT, expectRefused, initHome, removeTempHomes, seedRecordings, withLocalUser, type ExpectedError } from './helpers.js'

/**
 * Every command, given malformed input, prints one clear error (what, where, how to fix), exits non-zero and
 * leaves the database as it was. Each case runs on its own copy of one seeded home, in text and in --json.
 */

/** Ids in the seeded home (the first row of each table). */
const MATH = 1
const PRESET = 1
const SOURCE = 1
const RECORDING = 1

async function seedHome(): Promise<string> {
  const home = await initHome()
  await withLocalUser(home, async (s) => {
    await s.templates.create({ name: 'Math', matching_rules: { keywords: ['Math'] } })
    await s.templates.create({ name: 'Physics', matching_rules: { keywords: ['Physics'] } })
    await s.presets.create({ name: 'Archive', platform: 'local', preset_metadata: { destination: '/srv/out', title_template: '{display_name}' } })
    await s.sources.create({ name: 'Lectures', platform: 'local', config: { path: '/srv/lectures' } })
    await s.configs.set({ processing: { padding_before: 3 } })
  })
  await seedRecordings(home, [{ display_name: 'Math 1', start_time: '2026-03-02T09:00:00Z', status: 'SKIPPED' }])
  writeFile(home, 'bad.yaml', 'name: Math\nmatching_rules:\n  keywords: [Math\n')
  writeFile(home, 'list.yaml', '- name: Math\n- name: Physics\n')
  writeFile(home, 'unknown-key.yaml', 'name: Chemistry\nmatching_rules:\n  keywords: [Chemistry]\nschedule: weekly\n')
  writeFile(home, 'bad.json', '{"preset_metadata": {"title_template": "{display_name}",}}')
  writeFile(home, 'config-variable.yaml', 'name: Chemistry\nmatching_rules: { keywords: [Chemistry] }\nprocessing_config:\n  metadata: { description_template: "{summary} {speaker}" }\n')
  writeFile(home, 'config-preset.json', { name: 'Chemistry', matching_rules: { keywords: ['Chemistry'] }, processing_config: { upload: { preset_ids: [42] } } })
  writeFile(home, 'bad-date.yaml', 'name: Department\nplatform: zoom\ncredential_id: 1\nconfig:\n  from: "2026-02-30"\n')
  return home
}

const usage = (message: RegExp): ExpectedError => ({ code: 'usage', exit: 2, message })
const invalid = (message: RegExp): ExpectedError => ({ code: 'validation', exit: 2, message })
const missing = (message: RegExp): ExpectedError => ({ code: 'not_found', exit: 3, message })
const taken = (message: RegExp): ExpectedError => ({ code: 'conflict', exit: 1, message })

interface Case {
  what: string
  args: string[]
  expected: ExpectedError
}

const CASES: Case[] = [
  { what: 'init with an unknown flag', args: ['init', '--force'], expected: usage(/Nonexistent flag: --force/) },
  { what: 'doctor with an unknown flag', args: ['doctor', '--verbose'], expected: usage(/Nonexistent flag: --verbose/) },

  { what: 'config show with an unknown flag', args: ['config', 'show', '--layer'], expected: usage(/Nonexistent flag: --layer\b/) },
  { what: 'config get of an unknown key', args: ['config', 'get', 'processing.padding'], expected: invalid(/unknown key "padding" in processing/) },
  { what: 'config set of an out-of-range value', args: ['config', 'set', 'processing.max_cut_ratio', '1.5'], expected: invalid(/processing\.max_cut_ratio: must be between 0 and 1/) },
  { what: 'config set of a template with an unknown variable', args: ['config', 'set', 'metadata.title_template', '{titel}'], expected: invalid(/metadata\.title_template: unknown variable \{titel\}/) },
  { what: 'config set of a preset id that does not exist', args: ['config', 'set', 'upload.preset_ids', '1,99'], expected: missing(/preset 99 not found/) },
  { what: 'config unset without a path', args: ['config', 'unset'], expected: usage(/Missing 1 required arg: path/) },
  { what: 'config reset with an extra flag', args: ['config', 'reset', '--all'], expected: usage(/Nonexistent flag: --all/) },

  { what: 'templates add with an invalid regex', args: ['templates', 'add', 'Bad', '--pattern', '(a'], expected: invalid(/matching_rules\.patterns\[0\]: invalid pattern "\(a"/) },
  { what: 'templates add with an unknown title variable', args: ['templates', 'add', 'Bad', '--keyword', 'x', '--title', '{speaker}'], expected: invalid(/metadata_config\.title_template: unknown variable \{speaker\}/) },
  { what: 'templates add with a name that is taken', args: ['templates', 'add', 'Math', '--keyword', 'Algebra'], expected: taken(/template .*already exists/) },
  { what: 'templates add from malformed YAML', args: ['templates', 'add', '--file', 'bad.yaml'], expected: usage(/bad\.yaml is not valid YAML at line \d+/) },
  { what: 'templates add from a file holding a list', args: ['templates', 'add', '--file', 'list.yaml'], expected: usage(/list\.yaml must hold one object .*not a list/) },
  { what: 'templates add from a file with an unknown key', args: ['templates', 'add', '--file', 'unknown-key.yaml'], expected: invalid(/unknown key 'schedule'/) },
  { what: 'templates add whose processing_config has an unknown variable', args: ['templates', 'add', '--file', 'config-variable.yaml'], expected: invalid(/processing_config\.metadata\.description_template: unknown variable \{speaker\}/) },
  { what: 'templates add whose processing_config names a preset that does not exist', args: ['templates', 'add', '--file', 'config-preset.json'], expected: missing(/preset 42 not found/) },
  { what: 'templates add from a file that does not exist', args: ['templates', 'add', '--file', 'nope.yaml'], expected: usage(/cannot read nope\.yaml: no such file/) },
  { what: 'templates list with --limit 0', args: ['templates', 'list', '--limit', '0'], expected: usage(/--limit.*greater than or equal to 1/) },
  { what: 'templates show of a non-integer id', args: ['templates', 'show', 'abc'], expected: usage(/Expected an integer but received: abc/) },
  { what: 'templates edit to the name of another template', args: ['templates', 'edit', String(MATH), '--name', 'Physics'], expected: taken(/template .*already exists/) },
  { what: 'templates remove without an id', args: ['templates', 'remove'], expected: usage(/Missing 1 required arg: id/) },
  { what: 'templates from-recording of an unknown recording', args: ['templates', 'from-recording', '99', '--name', 'X'], expected: missing(/recording 99 not found/) },
  { what: 'templates preview of an unknown template', args: ['templates', 'preview', '99'], expected: missing(/template 99 not found/) },

  { what: 'presets add with a bad date format', args: ['presets', 'add', 'P', '--platform', 'local', '--destination', '/srv', '--title', '{start_time:QQ}'], expected: invalid(/preset_metadata\.title_template \(--title\): .*bad date format "QQ"/) },
  { what: 'presets add with an unknown credential', args: ['presets', 'add', 'P', '--platform', 'youtube', '--credential', '99'], expected: missing(/credential 99 not found/) },
  { what: 'presets list with an unknown platform', args: ['presets', 'list', '--platform', 'tiktok'], expected: usage(/Expected --platform=tiktok to be one of: youtube, vk, local/) },
  { what: 'presets show of a non-integer id', args: ['presets', 'show', '1.5'], expected: usage(/Expected an integer but received: 1\.5/) },
  { what: 'presets edit from malformed JSON', args: ['presets', 'edit', String(PRESET), '--file', 'bad.json'], expected: usage(/bad\.json is not valid JSON/) },
  { what: 'presets remove of an unknown id', args: ['presets', 'remove', '99'], expected: missing(/preset 99 not found/) },
  { what: 'presets render for an unknown recording', args: ['presets', 'render', String(PRESET), '--recording', '99'], expected: missing(/recording 99 not found/) },
  { what: 'presets render with a sample time that is not a time', args: ['presets', 'render', String(PRESET), '--start', 'next monday'], expected: invalid(/invalid start_time "next monday"/) },

  { what: 'sources add of an unknown kind', args: ['sources', 'add', 'dropbox', 'x'], expected: usage(/Expected dropbox to be one of: local, zoom/) },
  { what: 'sources add with an unknown named group', args: ['sources', 'add', 'local', 'x', '--path', '/srv', '--name-pattern', '(?P<date>\\d+)'], expected: invalid(/config\.name_pattern \(--name-pattern\): unknown named group 'date'/) },
  { what: 'sources add from a file with an impossible date', args: ['sources', 'add', '--file', 'bad-date.yaml'], expected: invalid(/config\.from/) },
  { what: 'sources list with a forged cursor', args: ['sources', 'list', '--cursor', 'bm90LWEtY3Vyc29y'], expected: usage(/invalid page cursor/) },
  { what: 'sources show of a non-integer id', args: ['sources', 'show', 'lectures'], expected: usage(/Expected an integer but received: lectures/) },
  { what: 'sources edit from a file holding a list', args: ['sources', 'edit', String(SOURCE), '--file', 'list.yaml'], expected: usage(/list\.yaml must hold one object .*not a list/) },
  { what: 'sources remove of an unknown id', args: ['sources', 'remove', '99'], expected: missing(/source 99 not found/) },

  { what: 'recordings list with an impossible --from date', args: ['recordings', 'list', '--from', '2026-13-01'], expected: usage(/--from must be a date like 2026-03-01/) },
  { what: 'recordings list with an unknown status', args: ['recordings', 'list', '--status', 'DONE'], expected: usage(/unknown status DONE/) },
  { what: 'recordings show of an unknown id', args: ['recordings', 'show', '99'], expected: missing(/recording 99 not found/) },
  { what: 'recordings add of a file that does not exist', args: ['recordings', 'add', 'no-such.mp4'], expected: usage(/no-such\.mp4 does not exist/) },

  { what: 'sync of a source that does not exist', args: ['sync', 'Seminars'], expected: missing(/source "Seminars" not found/) },
]

/** The commands of the foundation issue, plus `sync` and `recordings add`, which came with local sources. */
const COMMANDS = [
  'init', 'doctor',
  'config show', 'config get', 'config set', 'config unset', 'config reset',
  'templates add', 'templates list', 'templates show', 'templates edit', 'templates remove', 'templates from-recording', 'templates preview',
  'presets add', 'presets list', 'presets show', 'presets edit', 'presets remove', 'presets render',
  'sources add', 'sources list', 'sources show', 'sources edit', 'sources remove',
  'recordings list', 'recordings show', 'recordings add',
  'sync',
]


afterAll(removeTempHomes)
describe('bad input', { timeout: E2E_TIMEOUT }, () => {
  let home: string
  beforeAll(async () => {
    home = await seedHome()
  }, E2E_TIMEOUT)

  it.each(CASES)('refuses $what', async ({ args, expected }) => {
    await expectRefused(home, args, expected)
  })

  it('has a case for every command', () => {
    const built = (fs.readdirSync(path.join(ROOT, 'dist', 'commands'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.slice(0, -'.js'.length).split(path.sep).join(' '))
    expect(built).toEqual(expect.arrayContaining(COMMANDS))
    const covers = (id: string) => CASES.some(({ args }) => `${args.join(' ')} `.startsWith(`${id} `))
    expect(COMMANDS.filter((id) => !covers(id))).toEqual([])
  })

  it('accepts patterns with nested quantifiers and matches them in linear time (RE2)', async () => {
    const own = cloneHome(home)
    const template = await cliData(own, ['templates', 'add', 'Hostile', '--pattern', '^(a+)+$', '--pattern', 'lecture', '--exclude-pattern', '(x+x+)+y'])
    expect(template.matching_rules).toMatchObject({ patterns: ['^(a+)+$', 'lecture'], exclude_patterns: ['(x+x+)+y'] })
    // Titles that take a backtracking engine exponential time: a long run that fails to match at its very end.
    const [, allA, lecture] = await seedRecordings(own, [
      { display_name: `${'a'.repeat(50_000)}!`, start_time: '2026-03-03T09:00:00Z' },
      { display_name: 'a'.repeat(50_000), start_time: '2026-03-04T09:00:00Z' },
      { display_name: `lecture ${'x'.repeat(50_000)}`, start_time: '2026-03-05T09:00:00Z' },
    ])
    const before = dbSnapshot(dbFileOf(own))
    const preview = await cliData(own, ['templates', 'preview', String(template.id)])
    expect(preview.matches.map((m: { recordingId: number }) => m.recordingId)).toEqual([lecture, allA])
    expect(dbSnapshot(dbFileOf(own))).toBe(before)
  })
})

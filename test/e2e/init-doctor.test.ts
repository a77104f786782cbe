import fs from 'node:fs'
import path from 'node:path'
import { Config, Help, settings, type Command } from '@oclif/core'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../support/cli.js'
import { dbSnapshot } from '../support/db-snapshot.js'
import { cliData, dbFileOf, E2E_TIMEOUT, newHome, removeTempHomes, runCli } from './helpers.js'


afterAll(removeTempHomes)
describe('init and doctor', { timeout: E2E_TIMEOUT }, () => {
  it('sets up once; a second init changes nothing and keeps the same local user', async () => {
    const home = newHome()
    const first = await cliData(home, ['init'])
    expect(first).toMatchObject({
      configDir: path.join(home, 'config'),
      dataDir: path.join(home, 'data'),
      database: dbFileOf(home),
      schemaVersion: expect.stringMatching(/^\d{4}_/),
      user: { id: expect.any(Number), created: true },
    })
    expect(fs.statSync(first.mediaDir).isDirectory()).toBe(true)
    const before = dbSnapshot(dbFileOf(home))
    const again = await runCli(['init'], { home })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already set up; nothing changed')
    const third = await cliData(home, ['init'])
    expect(third).toEqual({ ...first, user: { ...first.user, created: false } })
    expect(dbSnapshot(dbFileOf(home))).toBe(before)
  })

  it('reports ffmpeg and ffprobe with versions, the database and its schema, and the encrypted-file secret store', async () => {
    const home = newHome()
    const [report, text] = await Promise.all([
      cliData(home, ['doctor'], { env: { RECFLOW_SECRET_STORE: 'file' } }),
      runCli(['doctor'], { home, env: { RECFLOW_SECRET_STORE: 'file' } }),
    ])
    expect(report.ok).toBe(true)
    for (const tool of ['ffmpeg', 'ffprobe'] as const) {
      expect(report.media.tools[tool]).toMatchObject({ version: expect.stringMatching(/\S/), source: expect.stringMatching(/^(system|bundled)$/) })
      expect(fs.existsSync(report.media.tools[tool].path)).toBe(true)
    }
    expect(report.database).toEqual({ path: dbFileOf(home), schemaVersion: expect.stringMatching(/^\d{4}_/) })
    expect(report.secretStore).toMatchObject({ kind: 'encrypted-file', description: expect.stringContaining(path.join(home, 'config')) })
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^ok\s+ffmpeg: \S+ \((system|bundled): /m)
    expect(text.stdout).toMatch(/^ok\s+secret store: encrypted file/m)
    expect(text.stdout).toContain(`schema ${report.database.schemaVersion}`)
  })

  it('finds the bundled ffmpeg and ffprobe when none is on PATH', async () => {
    const home = newHome()
    const report = await cliData(home, ['doctor'], { env: { PATH: path.join(home, 'empty-bin') } })
    expect(report.ok).toBe(true)
    for (const tool of ['ffmpeg', 'ffprobe'] as const) {
      expect(report.media.tools[tool]).toMatchObject({ source: 'bundled', version: expect.stringMatching(/\S/) })
      // Real paths: node_modules may be a symlink (a git worktree's), which a module's own path resolves.
      expect(fs.realpathSync(report.media.tools[tool].path)).toContain(fs.realpathSync(path.join(ROOT, 'node_modules')))
    }
  })

  it('fails the check of a configured ffprobe that does not run, says how to fix it, and exits 1', async () => {
    const home = newHome()
    const env = { RECFLOW_FFPROBE_PATH: path.join(home, 'no-such-ffprobe') }
    const [text, json] = await Promise.all([runCli(['doctor'], { home, env }), runCli(['doctor', '--json'], { home, env })])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/^FAIL\s+ffmpeg and ffprobe: the configured ffprobe at \S+no-such-ffprobe does not run$/m)
    expect(text.stdout).toMatch(/configured ffprobe path/)
    expect(text.stdout).toContain('Some checks failed')
    expect(json.code).toBe(1)
    expect(json.json).toMatchObject({ ok: false, error: { code: 'doctor_failed', message: '1 check failed: ffmpeg and ffprobe', hint: expect.stringMatching(/\S/) } })
    expect(json.json.data.ok).toBe(false)
    expect(json.json.data.checks.find((c: { ok: boolean }) => !c.ok)).toMatchObject({ hint: expect.stringMatching(/\S/) })
  })

  it.each([
    ['a corrupt file', (file: string) => fs.writeFileSync(file, Buffer.alloc(8192, 7)), /file is not a database/],
    ['another program’s SQLite database', (file: string) => foreignDatabase(file), /it holds other tables: invoices/],
  ])('reports %s as a failed database check, and every other command refuses it with exit 1', async (_what, make, reason) => {
    const home = newHome()
    fs.mkdirSync(path.join(home, 'data'), { recursive: true })
    make(dbFileOf(home))
    const before = fs.readFileSync(dbFileOf(home))
    const doctor = await runCli(['doctor', '--json'], { home })
    expect(doctor.code).toBe(1)
    expect(doctor.json).toMatchObject({ ok: false, error: { code: 'doctor_failed', message: '1 check failed: database' } })
    const check = doctor.json.data.checks.find((c: { name: string }) => c.name === 'database')
    expect(check).toMatchObject({ ok: false, detail: expect.stringMatching(reason), hint: expect.stringContaining('RECFLOW_DB') })
    expect(check.hint, 'doctor does not send the user to doctor').not.toContain('recflow doctor')
    expect(doctor.json.data.checks.filter((c: { ok: boolean }) => c.ok).map((c: { name: string }) => c.name)).toContain('ffmpeg')
    const list = await runCli(['templates', 'list'], { home })
    expect(list.code).toBe(1)
    expect(list.stderr).toContain(`Error: the database at ${dbFileOf(home)} is not a recflow database`)
    expect(list.stderr).toContain('`recflow doctor` checks it')
    expect(fs.readFileSync(dbFileOf(home)).equals(before)).toBe(true)
  })
})

function foreignDatabase(file: string): void {
  const db = new Database(file)
  db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (12.5)')
  db.close()
}

/** Every compiled command file, as an oclif command id ("templates:from-recording"). */
function commandIdsFromDist(): string[] {
  const dir = path.join(ROOT, 'dist', 'commands')
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -'.js'.length).split(path.sep).join(':'))
    .sort()
}

/** The --help text of a command, rendered by the same Help class `recflow <command> --help` uses. */
class HelpText extends Help {
  textOf(command: Command.Loadable): string {
    return this.formatCommand(command)
  }
}

describe('help', { timeout: E2E_TIMEOUT }, () => {
  it('gives every command a summary and at least one example', async () => {
    const ids = commandIdsFromDist()
    expect(ids).toEqual(expect.arrayContaining(['init', 'doctor', 'config:set', 'templates:preview', 'presets:render', 'sources:add', 'recordings:list']))
    // Load dist/ as bin/run.js does; under vitest (NODE_ENV=test) oclif would otherwise look for TypeScript sources.
    settings.enableAutoTranspile = false
    const config = await Config.load(ROOT)
    const help = new HelpText(config, { stripAnsi: true })
    const missing: string[] = []
    for (const id of ids) {
      const command = config.findCommand(id)
      expect(command, `dist/commands file without a command: ${id}`).toBeDefined()
      const text = help.textOf(command!)
      if (!/^EXAMPLES\n\s+\$ recflow \S/m.test(text) || !command!.summary) missing.push(id)
    }
    expect(missing).toEqual([])
  })

  it('prints the examples with --help', async () => {
    const r = await runCli(['templates', 'from-recording', '--help'], { home: newHome() })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^EXAMPLES\n\s+\$ recflow templates from-recording 42 --name/m)
  })
})

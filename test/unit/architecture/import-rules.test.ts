import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkImportRules, importCycles, importsOf, type SourceFile } from '../../support/import-rules.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')

function collect(dir: string): SourceFile[] {
  const abs = path.join(ROOT, dir)
  if (!fs.existsSync(abs)) return []
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|tsx)$/.test(d.name))
    .map((d) => {
      const full = path.join(d.parentPath, d.name)
      return { path: path.relative(ROOT, full).split(path.sep).join('/'), source: fs.readFileSync(full, 'utf8') }
    })
}

describe('layer import rules (DESIGN.md §1)', () => {
  it('hold for the whole tree', () => {
    const files = ['src', 'commands', 'daemon', 'migrations'].flatMap(collect)
    expect(files.length).toBeGreaterThan(10)
    expect(checkImportRules(files)).toEqual([])
  })

  it('finds static, dynamic and side-effect imports', () => {
    expect(importsOf(`import a from 'x'\nimport { b } from "./y.js"\nexport * from '../z.js'\nawait import('w')\nimport 'side'`)).toEqual([
      'x', './y.js', '../z.js', 'w', 'side',
    ])
  })

  const cases: Array<[string, SourceFile, string]> = [
    ['domain importing node:fs', { path: 'src/domain/a.ts', source: `import fs from 'node:fs'` }, 'domain-pure'],
    ['domain importing the db layer', { path: 'src/domain/a.ts', source: `import { x } from '../db/scope.js'` }, 'domain-pure'],
    ['kysely outside src/db', { path: 'src/services/a.ts', source: `import { sql } from 'kysely'` }, 'kysely-confined'],
    ['execa in services', { path: 'src/services/a.ts', source: `import { execa } from 'execa'` }, 'execa-confined'],
    ['undici outside platform/http', { path: 'src/providers/zoom/a.ts', source: `import { request } from 'undici'` }, 'undici-confined'],
    ['keyring outside secrets', { path: 'src/platform/x.ts', source: `import { Entry } from '@napi-rs/keyring'` }, '@napi-rs/keyring-confined'],
    ['a migration importing src', { path: 'migrations/0002.ts', source: `import { x } from '../src/domain/a.js'` }, 'migrations-frozen'],
    ['a provider importing services', { path: 'src/providers/zoom/c.ts', source: `import { s } from '../../services/sync.js'` }, 'providers-isolated'],
    ['a provider importing another provider', { path: 'src/providers/zoom/c.ts', source: `import { y } from '../youtube/client.js'` }, 'providers-isolated'],
    ['a service importing a provider', { path: 'src/services/pipeline/publish-targets.ts', source: `import { folderPublisher } from '../../providers/local/folder-publisher.js'` }, 'publishers-from-root'],
    ['a command importing the db', { path: 'commands/templates/list.ts', source: `import { forUser } from '../../src/db/scope.js'` }, 'edges-thin'],
    ['a daemon route importing media', { path: 'daemon/routes/r.ts', source: `import { probe } from '../../src/media/probe.js'` }, 'edges-thin'],
    ['the ui importing services', { path: 'src/ui/a.ts', source: `import type { E } from '../services/events.js'` }, 'below-services'],
    ['the job layer importing services', { path: 'src/jobs/a.ts', source: `import type { E } from '../services/run.js'` }, 'below-services'],
    ['a service reaching the raw query handle', { path: 'src/services/a.ts', source: `const rows = await forUser(deps.database.db, user.id).presets.list()` }, 'scopes-only'],
    ['a service importing the db connection', { path: 'src/services/sync/a.ts', source: `import { openDatabase } from '../../db/connection.js'` }, 'scopes-only'],
    ['a service importing the Database type', { path: 'src/services/a.ts', source: `import type { Database } from '../db/index.js'` }, 'scopes-only'],
    ['a service importing the Database type among others', { path: 'src/services/a.ts', source: `import { forUser, type Database, type Task } from '../db/index.js'` }, 'scopes-only'],
    ['a service importing kysely', { path: 'src/services/a.ts', source: `import type { Kysely } from 'kysely'` }, 'scopes-only'],
    ['a time zone formatter outside domain/time', { path: 'src/services/automation/j.ts', source: `const f = new Intl.DateTimeFormat('en-CA', { timeZone })` }, 'time-in-domain-time'],
    ['process.env outside platform/config', { path: 'src/services/a.ts', source: `const x = process.env.HOME` }, 'env-in-config-only'],
  ]
  it.each(cases)('reports %s', (_name, file, rule) => {
    expect(checkImportRules([file]).map((v) => v.rule)).toContain(rule)
  })

  it('allows a provider to import the shared provider types', () => {
    expect(checkImportRules([{ path: 'src/providers/zoom/c.ts', source: `import type { T } from '../types.js'` }])).toEqual([])
  })

  it('has no import cycle in src (src/ui/format.ts and progress-summary.ts once formed one)', () => {
    expect(importCycles(collect('src'))).toEqual([])
  })

  it('finds an import cycle', () => {
    const files = [
      { path: 'src/ui/a.ts', source: `import type { B } from './b.js'` },
      { path: 'src/ui/b.ts', source: `import { a } from './a.js'` },
    ]
    expect(importCycles(files)).toEqual([['src/ui/a.ts', 'src/ui/b.ts']])
  })

  it('allows a service its scopes and row types (and a file named *.db in a string)', () => {
    const source = `import type { DatabaseHealth } from './context.js'\nimport type { Task, UserScope } from '../db/index.js'\nconst s = deps.scopes.forUser(user.id)\nconst f = 'recflow.db'`
    expect(checkImportRules([{ path: 'src/services/a.ts', source }])).toEqual([])
  })

  it('allows a service to import the shared provider types', () => {
    expect(checkImportRules([{ path: 'src/services/pipeline/p.ts', source: `import { ProviderError } from '../../providers/types.js'` }])).toEqual([])
  })
})

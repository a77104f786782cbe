import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { importGraph, staticClosure as closureIn, staticImportsOfSource } from '../../support/import-graph.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const graph = await importGraph(ROOT)
const staticClosure = (entries: string[]) => closureIn(graph, entries)

const commands = fs
  .readdirSync(path.join(ROOT, 'commands'), { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && d.name.endsWith('.ts'))
  .map((d) => path.relative(ROOT, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
  .sort()

const under = (files: Set<string>, dir: string, except: string[] = []) =>
  [...files].filter((f) => f.startsWith(dir + '/') && !except.includes(f)).sort()

/** What no command module may load before it runs: the composition root builds services on demand. */
const NEVER_STATIC_IN_COMMANDS = ['src/services', 'src/jobs', 'src/media', 'src/providers', 'src/db']
const HEAVY_PACKAGES = ['execa', 'ink', 'react', 'kysely', 'better-sqlite3', '@napi-rs/keyring', 'undici']

describe('start-up: commands load only what they use', () => {
  it('finds the command modules', () => {
    expect(commands).toContain('commands/recordings/list.ts')
  })

  it.each(commands)('%s imports no service, queue, media, provider or database code statically', (command) => {
    const { files, packages } = staticClosure([command])
    expect(files.has('src/app.ts')).toBe(false)
    for (const dir of NEVER_STATIC_IN_COMMANDS) expect(under(files, dir)).toEqual([])
    expect(HEAVY_PACKAGES.filter((p) => packages.has(p))).toEqual([])
  })

  it('show commands print nested settings without the yaml package', () => {
    for (const command of ['commands/templates/show.ts', 'commands/presets/show.ts', 'commands/sources/show.ts']) {
      const { packages } = staticClosure([command])
      expect({ command, yaml: packages.has('yaml') }).toEqual({ command, yaml: false })
    }
  })

  it('list and get commands do not load the schema, file-reading or progress code either', () => {
    for (const command of ['commands/recordings/list.ts', 'commands/templates/list.ts', 'commands/config/get.ts', 'commands/tasks/list.ts']) {
      const { files, packages } = staticClosure([command])
      expect({ command, ui: under(files, 'src/ui'), progress: files.has('src/cli/progress-output.ts') }).toEqual({ command, ui: [], progress: false })
      expect({ command, packages: ['zod', 'yaml', 're2js'].filter((p) => packages.has(p)) }).toEqual({ command, packages: [] })
    }
  })

  it('creating the app loads the database layer but no service, queue, media, provider or UI code', () => {
    const { files, packages } = staticClosure(['src/app.ts'])
    // The toolbox only remembers what it found; it imports the ffmpeg-locating code (and execa) on first use.
    expect(under(files, 'src/media', ['src/media/toolbox.ts'])).toEqual([])
    expect(under(files, 'src/services')).toEqual([])
    expect(under(files, 'src/jobs')).toEqual([])
    expect(under(files, 'src/providers')).toEqual([])
    expect(under(files, 'src/ui')).toEqual([])
    expect(['execa', 'ink', 'react', 'zod', 'yaml', '@napi-rs/keyring'].filter((p) => packages.has(p))).toEqual([])
  })

  it('`recordings list` (the app plus the recordings service) loads no ffmpeg, queue, provider, UI or schema code', () => {
    const { files, packages } = staticClosure(['commands/recordings/list.ts', 'src/app.ts', 'src/services/recordings.ts'])
    expect(under(files, 'src/media', ['src/media/toolbox.ts'])).toEqual([])
    // `recordings reset` takes back a dead run's leases first; that module needs only the database layer.
    expect(under(files, 'src/jobs', ['src/jobs/lease-owner.ts'])).toEqual([])
    expect(under(files, 'src/providers')).toEqual([])
    expect(under(files, 'src/ui')).toEqual([])
    expect(['execa', 'ink', 'react', 'zod', 'yaml'].filter((p) => packages.has(p))).toEqual([])
  })

  it('`templates list` and `config get` (the app plus their services) build no zod schema: validation loads on writes', () => {
    for (const [command, service] of [
      ['commands/templates/list.ts', 'src/services/templates.ts'],
      ['commands/config/get.ts', 'src/services/user-config.ts'],
    ]) {
      const { files, packages } = staticClosure([command!, 'src/app.ts', service!])
      // The plain defaults table and the merge and path helpers are all `config get` needs while nothing is stored
      // (and the repair hint's text, a constant).
      const config = under(files, 'src/domain/config', [
        'src/domain/config/default-values.ts',
        'src/domain/config/merge.ts',
        'src/domain/config/paths.ts',
        'src/domain/config/repair-hint.ts',
      ])
      expect({ command, config, resources: under(files, 'src/domain/resources'), matching: under(files, 'src/domain/matching') }).toEqual({
        command,
        config: [],
        resources: [],
        matching: [],
      })
      expect({ command, checks: files.has('src/services/config-checks.ts'), zod: packages.has('zod') }).toEqual({ command, checks: false, zod: false })
    }
  })

  it('the graph follows static imports and leaves dynamic ones out', () => {
    const { files } = staticClosure(['src/media/toolbox.ts'])
    expect([...files]).toEqual(['src/media/toolbox.ts'])
    expect(staticClosure(['src/db/connection.ts']).packages.has('better-sqlite3')).toBe(true)
  })

  it('an import used only as a type, `import type` and `export type … from` are not edges; re-exports and bare imports are', async () => {
    const source = [
      "import type { A } from './type-only.js'",
      "import { B } from './used-as-type.js'",
      "import { C } from './used-as-value.js'",
      "import './side-effect.js'",
      "export * from './star.js'",
      "export { D } from './reexport.js'",
      "export type { E } from './type-reexport.js'",
      "const lazy = () => import('./dynamic.js')",
      'export const f = (a: A, b: B) => [a, b, C, lazy, import.meta.url]',
    ].join('\n')
    expect(await staticImportsOfSource(source, 'x.ts')).toEqual(['./used-as-value.js', './side-effect.js', './star.js', './reexport.js'])
  })
})

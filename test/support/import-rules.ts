/**
 * The layer rules of DESIGN.md §1 as data, and a pure checker over {path, source} pairs, so the rules are
 * themselves unit-tested with synthetic violations.
 */
export interface SourceFile {
  path: string // repository-relative, forward slashes
  source: string
}
export interface Violation {
  file: string
  rule: string
  detail: string
}

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm

export function importsOf(source: string): string[] {
  const out: string[] = []
  for (const m of source.matchAll(IMPORT_RE)) out.push((m[1] ?? m[2] ?? m[3])!)
  return out
}

function resolveRelative(from: string, spec: string): string {
  const parts = from.split('/').slice(0, -1)
  for (const seg of spec.split('/')) {
    if (seg === '.' || seg === '') continue
    if (seg === '..') parts.pop()
    else parts.push(seg)
  }
  return parts.join('/')
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir + '/')
const pkgName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)

/** Packages allowed only under certain paths. */
const RESTRICTED_PACKAGES: Array<{ pkg: string; allowed: string[] }> = [
  { pkg: 'kysely', allowed: ['src/db', 'migrations'] },
  { pkg: 'better-sqlite3', allowed: ['src/db'] },
  { pkg: 'execa', allowed: ['src/media', 'src/platform'] },
  { pkg: 'undici', allowed: ['src/platform/http.ts'] },
  { pkg: '@napi-rs/keyring', allowed: ['src/platform/secrets.ts'] },
]

const DOMAIN_PACKAGES = new Set(['zod', 'croner', 're2js'])

export function checkImportRules(files: SourceFile[]): Violation[] {
  const violations: Violation[] = []
  for (const f of files) {
    const add = (rule: string, detail: string) => violations.push({ file: f.path, rule, detail })
    for (const spec of importsOf(f.source)) {
      const relative = spec.startsWith('.')
      const target = relative ? resolveRelative(f.path, spec) : undefined
      const pkg = relative ? undefined : pkgName(spec)

      if (pkg) {
        for (const r of RESTRICTED_PACKAGES) {
          if (pkg === r.pkg && !r.allowed.some((a) => within(f.path, a))) add(`${r.pkg}-confined`, `imports ${spec}`)
        }
      }
      if (within(f.path, 'src/domain')) {
        if (pkg && !DOMAIN_PACKAGES.has(pkg)) add('domain-pure', `imports ${spec}`)
        if (target && !within(target, 'src/domain')) add('domain-pure', `imports ${spec}`)
      }
      if (within(f.path, 'migrations')) {
        if (pkg && pkg !== 'kysely') add('migrations-frozen', `imports ${spec}`)
        if (target && !within(target, 'migrations')) add('migrations-frozen', `imports ${spec}`)
      }
      if (within(f.path, 'src/providers') && target) {
        if (within(target, 'src/db') || within(target, 'src/services')) add('providers-isolated', `imports ${spec}`)
        const own = f.path.split('/')[2]
        const other = target.split('/')[2]
        if (within(target, 'src/providers') && other !== own && !/^types(\.js|\.ts)?$/.test(other ?? '') && own !== 'types.ts')
          add('providers-isolated', `imports another provider: ${spec}`)
      }
      if ((within(f.path, 'src/ui') || within(f.path, 'src/jobs')) && target && within(target, 'src/services'))
        add('below-services', `imports ${spec}`)
      if (within(f.path, 'src/services') && ((target && within(target.replace(/\.(js|ts)$/, ''), 'src/db/connection')) || pkg === 'kysely'))
        add('scopes-only', `imports the raw database (services get scopes from the composition root): ${spec}`)
      if (within(f.path, 'src/services') && target && within(target, 'src/providers') && !/^src\/providers\/types(\.js|\.ts)?$/.test(target))
        add('publishers-from-root', `imports a provider (the composition root wires publishers): ${spec}`)
      if ((within(f.path, 'commands') || within(f.path, 'daemon')) && target) {
        for (const forbidden of ['src/db', 'src/media', 'src/providers'])
          if (within(target, forbidden)) add('edges-thin', `imports ${spec}`)
      }
    }
    if (within(f.path, 'src/services')) {
      // The raw handle (`deps.database.db`) or its type: a query not bound to a user would type-check again.
      if (/\.db\b(?![\w.'"`/-])/.test(f.source)) add('scopes-only', 'reaches the raw query handle (.db)')
      if (/\bimport\s+(?:type\s+)?\{[^}]*\b(?:type\s+)?(?:Database|Kysely)\b(?!\w)[^}]*\}\s*from\s*['"][^'"]*\/db\//.test(f.source))
        add('scopes-only', 'imports the Database / Kysely handle type')
    }
    // One cached formatter per time zone (src/domain/time): an Intl.DateTimeFormat is slow to build.
    if (/\bIntl\.DateTimeFormat\b/.test(f.source) && !within(f.path, 'src/domain/time'))
      add('time-in-domain-time', 'builds an Intl.DateTimeFormat (use src/domain/time)')
    if (/\bprocess\.env\b/.test(f.source) && f.path !== 'src/platform/config.ts' && !within(f.path, 'test'))
      add('env-in-config-only', 'reads process.env')
  }
  return violations
}

/** Import cycles among the given files (relative imports only), each as the list of files around the loop. */
export function importCycles(files: SourceFile[]): string[][] {
  const known = new Set(files.map((f) => f.path))
  const edges = new Map<string, string[]>()
  for (const f of files) {
    const targets = importsOf(f.source)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolveRelative(f.path, spec).replace(/\.js$/, ''))
      .flatMap((t) => [`${t}.ts`, `${t}.tsx`].filter((c) => known.has(c)))
    edges.set(f.path, targets)
  }
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (node: string) => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)))
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const f of [...known].sort()) if (!state.has(f)) visit(f)
  return cycles
}

import fs from 'node:fs'
import path from 'node:path'
import { transform } from 'esbuild'
import { init, parse } from 'es-module-lexer'

/**
 * The static import graph of our own sources as they run: each file is transpiled the way tsc emits it (esbuild,
 * which like tsc drops type-only imports and imports used only as types), then the compiled module's static
 * `import … from` / `export … from` / `import 'x'` edges are read with es-module-lexer. Dynamic `import()` is not
 * an edge: it is exactly how a module is loaded lazily. Packages are leaves (by name).
 *
 * Built once for the whole tree (importGraph, async: esbuild's service transpiles ~450 files in well under a
 * second, where the TypeScript compiler API took ~5 s of CPU), then walked synchronously (staticClosure).
 */
export interface StaticClosure {
  /** Repository-relative source files, forward slashes. */
  files: Set<string>
  /** Package names reached directly from our files (`@scope/name` or `name`; `node:` built-ins left out). */
  packages: Set<string>
}

/** Absolute source file -> the specifiers of its static imports, in source order. */
export interface ImportGraph {
  root: string
  imports: Map<string, string[]>
}

const SOURCE_DIRS = ['src', 'commands', 'daemon', 'migrations']

/** A TypeScript source's static imports as tsc would emit them (exported for the graph's own tests). */
export async function staticImportsOfSource(source: string, file: string): Promise<string[]> {
  const { code } = await transform(source, { loader: file.endsWith('.tsx') ? 'tsx' : 'ts', format: 'esm', target: 'es2022', jsx: 'automatic', sourcefile: file })
  await init
  const [imports] = parse(code, file)
  // `d === -1`: a static import or re-export; dynamic import() (d >= 0) and import.meta (d === -2) are not edges.
  return imports.filter((i) => i.d === -1 && i.n !== undefined).map((i) => i.n!)
}

/** The static imports of every .ts/.tsx file under src/, commands/, daemon/ and migrations/ of `root`. */
export async function importGraph(root: string): Promise<ImportGraph> {
  const files = SOURCE_DIRS.flatMap((dir) => {
    const abs = path.join(root, dir)
    if (!fs.existsSync(abs)) return []
    return fs
      .readdirSync(abs, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts'))
      .map((d) => path.join(d.parentPath, d.name))
  })
  const entries = await Promise.all(files.map(async (f) => [f, await staticImportsOfSource(fs.readFileSync(f, 'utf8'), f)] as const))
  return { root, imports: new Map(entries) }
}

function resolveSource(fromFile: string, spec: string): string {
  const base = path.resolve(path.dirname(fromFile), spec)
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base]
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile())
  if (!found) throw new Error(`cannot resolve ${spec} from ${fromFile}`)
  return found
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)

export function staticClosure(graph: ImportGraph, entries: string[]): StaticClosure {
  const files = new Set<string>()
  const packages = new Set<string>()
  const queue = entries.map((e) => path.resolve(graph.root, e))
  while (queue.length > 0) {
    const file = queue.pop()!
    const rel = path.relative(graph.root, file).split(path.sep).join('/')
    if (files.has(rel)) continue
    files.add(rel)
    const specs = graph.imports.get(file)
    if (!specs) throw new Error(`${rel} is not in the import graph (only ${SOURCE_DIRS.join(', ')} are read)`)
    for (const spec of specs) {
      if (spec.startsWith('.')) queue.push(resolveSource(file, spec))
      else if (!spec.startsWith('node:')) packages.add(packageName(spec))
    }
  }
  return { files, packages }
}

import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/**
 * The static import graph of our own sources as they run: each file is transpiled the way tsc emits it (type-only
 * imports erased), then its `import … from` / `export … from` / `import 'x'` edges are followed. Dynamic
 * `import()` is not an edge: it is exactly how a module is loaded lazily. Packages are leaves (by name).
 */
export interface StaticClosure {
  /** Repository-relative source files, forward slashes. */
  files: Set<string>
  /** Package names reached directly from our files (`@scope/name` or `name`; `node:` built-ins left out). */
  packages: Set<string>
}

const STATIC_IMPORT_RE = /^\s*(?:import|export)\s(?:[^'"();]*?\sfrom\s*)?['"]([^'"]+)['"]/gm
const cache = new Map<string, string[]>()

function staticImportsOf(file: string): string[] {
  let specs = cache.get(file)
  if (!specs) {
    const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX },
    }).outputText
    specs = [...js.matchAll(STATIC_IMPORT_RE)].map((m) => m[1]!)
    cache.set(file, specs)
  }
  return specs
}

function resolveSource(fromFile: string, spec: string): string {
  const base = path.resolve(path.dirname(fromFile), spec)
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base]
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile())
  if (!found) throw new Error(`cannot resolve ${spec} from ${fromFile}`)
  return found
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)

export function staticClosure(root: string, entries: string[]): StaticClosure {
  const files = new Set<string>()
  const packages = new Set<string>()
  const queue = entries.map((e) => path.resolve(root, e))
  while (queue.length > 0) {
    const file = queue.pop()!
    const rel = path.relative(root, file).split(path.sep).join('/')
    if (files.has(rel)) continue
    files.add(rel)
    for (const spec of staticImportsOf(file)) {
      if (spec.startsWith('.')) queue.push(resolveSource(file, spec))
      else if (!spec.startsWith('node:')) packages.add(packageName(spec))
    }
  }
  return { files, packages }
}

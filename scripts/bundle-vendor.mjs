// Build step (after tsc): kysely and zod ship as hundreds of small ES modules, and loading them file by file
// cost more than a bare Node start. Each is bundled once into dist/vendor/<name>.js (same code, same version,
// one file), and the compiled imports of dist/ are pointed at it, so every compiled module shares that one copy.
// Tests and `bin/dev.js` run the TypeScript sources against the packages as installed.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const vendor = path.join(dist, 'vendor')
const VENDORED = ['kysely', 'zod']

for (const name of VENDORED) {
  await build({
    stdin: { contents: `export * from '${name}'`, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: path.join(vendor, `${name}.js`),
    logLevel: 'warning',
  })
}

const pattern = new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*)(['"])(${VENDORED.join('|')})\\2`, 'g')
let rewritten = 0
for (const entry of fs.readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js')) continue
  const file = path.join(entry.parentPath, entry.name)
  if (file.startsWith(vendor + path.sep)) continue
  const source = fs.readFileSync(file, 'utf8')
  const next = source.replace(pattern, (_m, lead, quote, name) => {
    let rel = path.relative(path.dirname(file), path.join(vendor, `${name}.js`)).split(path.sep).join('/')
    if (!rel.startsWith('.')) rel = `./${rel}`
    return `${lead}${quote}${rel}${quote}`
  })
  if (next !== source) {
    fs.writeFileSync(file, next)
    rewritten++
  }
}
console.error(`vendored ${VENDORED.join(', ')} into dist/vendor; ${rewritten} compiled files re-pointed at them (the rest already were)`)

/** What every benchmark shares: medians and percentiles, and writing its figures into docs/BENCHMARKS.md. */
import fs from 'node:fs'
import path from 'node:path'

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}

/**
 * Replaces the text between `<!-- bench:NAME:begin -->` and `<!-- bench:NAME:end -->` in docs/BENCHMARKS.md
 * (under the current directory, the package root when npm runs the bench); without the markers the figures are
 * only printed.
 */
export function writeBenchmarkSection(name: string, text: string): void {
  const doc = path.join(process.cwd(), 'docs/BENCHMARKS.md')
  const begin = `<!-- bench:${name}:begin -->`
  const end = `<!-- bench:${name}:end -->`
  const current = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : ''
  const a = current.indexOf(begin)
  const b = current.indexOf(end)
  if (a === -1 || b < a) {
    console.error(`docs/BENCHMARKS.md has no ${begin} … ${end} markers: the ${name} figures were printed only`)
    return
  }
  fs.writeFileSync(doc, `${current.slice(0, a + begin.length)}\n${text}\n${current.slice(b)}`)
  console.error(`updated ${path.relative(process.cwd(), doc)} (${name})`)
}

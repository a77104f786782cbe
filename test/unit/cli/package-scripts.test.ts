import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as { scripts: Record<string, string> }

describe('package.json scripts', () => {
  // `npm ci` runs prepare -> build -> `oclif manifest`; the oclif dev CLI would check npm for its own newer
  // version and print "oclif update available" into the user's install log.
  it('run the oclif dev CLI without its update check', () => {
    const calls = Object.values(pkg.scripts).flatMap((s) => s.split('&&').map((c) => c.trim())).filter((c) => /(^|\s)oclif\s/.test(c))
    expect(calls.length).toBeGreaterThan(0)
    for (const call of calls) expect(call).toMatch(/^OCLIF_SKIP_NEW_VERSION_CHECK=true oclif /)
  })
})

import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { systemOrBundledTools } from '../../fixtures/media/generate.js'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { cliData, describeRun, filesUnder, query, sha256 } from './pipeline-fixture.js'

/**
 * `recflow demo` in a fresh home: the whole pipeline on a generated lecture, and nothing twice on a second go. Run
 * in-process (test/support/run-in-process.ts, the compiled command as bin/run.js runs it): nothing here is about
 * the process itself, and two spawns cost ~2 s of CPU.
 */

async function durationOf(file: string): Promise<number> {
  const tools = await systemOrBundledTools()
  const r = spawnSync(tools.ffprobe.path, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' })
  expect(r.status, r.stderr).toBe(0)
  return Number(r.stdout.trim())
}

/** Decodes every frame: a file that plays to the end gives no error at all. */
async function decodeErrors(file: string): Promise<string> {
  const tools = await systemOrBundledTools()
  const r = spawnSync(tools.ffmpeg.path, ['-v', 'error', '-nostdin', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' })
  return `${r.status === 0 ? '' : `exit ${r.status} `}${r.stderr}`.trim()
}

describe('recflow demo', () => {
  const home = tempHome('recflow-demo-')
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

  it('publishes a trimmed, playable lecture with rendered metadata, and does nothing twice', async () => {
    const demo = await cliData(['demo'], home)
    expect(demo.run.recordings).toMatchObject([{ recordingId: 1, state: 'succeeded', result: { status: 'READY', failed: false } }])
    expect(demo.outputs).toHaveLength(1)
    const published: string = demo.outputs[0]
    expect(path.dirname(published)).toBe(demo.published)
    expect(published).toMatch(/\.mp4$/)

    const lectureS = await durationOf(demo.lecture)
    const publishedS = await durationOf(published)
    expect(publishedS).toBeGreaterThan(10)
    expect(publishedS).toBeLessThan(lectureS - 10) // the demo lecture has 20 s of silence before and 15 s after
    expect(await decodeErrors(published)).toBe('')

    // The metadata JSON beside it carries the preset's templates, rendered for this recording (UTC local user).
    const meta = JSON.parse(fs.readFileSync(published.replace(/\.mp4$/, '.json'), 'utf8'))
    const start = new Date(meta.start_time)
    const day = `${String(start.getUTCDate()).padStart(2, '0')}.${String(start.getUTCMonth() + 1).padStart(2, '0')}.${start.getUTCFullYear()}`
    expect(meta).toMatchObject({ title: `Demo lecture - recflow — ${day}`, tags: ['recflow', 'demo'], recording_id: 1, preset: 'demo folder' })
    expect(meta.description).toMatch(new RegExp(`^Recorded ${day.replace(/\./g, '\\.')} \\d{2}:\\d{2}, 0:\\d{2} after trimming\\.$`))
    expect(meta.files.sort()).toEqual([path.basename(published), path.basename(published).replace(/\.mp4$/, '.jpg')].sort())

    const publishedFiles = filesUnder(demo.published)
    const lectureHash = sha256(demo.lecture)

    // A second demo reuses the lecture, the source, the template and the preset: no new recording, no new file.
    const again = await cliData(['demo'], home)
    expect(again).toMatchObject({ source: demo.source, preset: demo.preset, template: demo.template, outputs: [] })
    expect(again.run.recordings).toEqual([])
    expect(again.run.sync.sources).toMatchObject([{ found: 1, created: 0, unchanged: 1 }])
    expect(query(home, 'SELECT id, status FROM recordings')).toEqual([{ id: 1, status: 'READY' }])
    expect(filesUnder(demo.published)).toEqual(publishedFiles)
    expect(sha256(demo.lecture)).toBe(lectureHash)
  }, 300_000)

  // The README's "typical setup" as a new user types it after the demo (issue 7 item 11): `--preset N` is the
  // preset the second command printed, not the demo's preset 1, and the lecture lands in ~/Published.
  it('runs the README\'s typical setup after the demo, publishing into ~/Published', async () => {
    const demo = await cliData(['demo'], home) // done by the test above: nothing twice
    const user = path.join(home, 'user-home')
    fs.mkdirSync(path.join(user, 'Recordings'), { recursive: true })
    fs.copyFileSync(demo.lecture, path.join(user, 'Recordings', 'Distributed Systems 03 - Consensus.mp4'))

    let presetId: string | undefined
    for (const args of readmeTypicalSetup()) {
      const words = args.map((w) => w.replace(/^~(?=\/)/, user)).map((w, i) => (args[i - 1] === '--preset' && w === 'N' ? presetId ?? w : w))
      const r = await runCommandInProcess(words, { home, env: { HOME: user } })
      expect(r.code, describeRun(words, r)).toBe(0)
      presetId ??= /^Added preset (\d+)/m.exec(r.stdout)?.[1]
    }
    expect(presetId).not.toBe(String(demo.preset.id))
    const published = fs.readdirSync(path.join(user, 'Published'))
    expect(published.filter((f) => f.endsWith('.mp4'))).toEqual([expect.stringMatching(/Distributed Systems 03 - Consensus\.mp4$/)])
    expect(filesUnder(demo.published).filter((f) => f.includes('Distributed'))).toEqual([])
  }, 300_000)
})

/** The commands of README.md's "typical setup" block, as argument lists (`npx recflow` and comments dropped). */
function readmeTypicalSetup(): string[][] {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8')
  const block = /A typical setup for your own lectures:\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(block, 'the typical setup block in README.md').toBeDefined()
  const commands = block!
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('npx recflow '))
    .map((line) => [...line.slice('npx recflow '.length).matchAll(/"([^"]*)"|'([^']*)'|(#.*)|(\S+)/g)].flatMap((m) => (m[3] ? [] : [m[1] ?? m[2] ?? m[4]!])))
  expect(commands.length).toBeGreaterThan(2)
  return commands
}

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSync, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess as runCli } from '../../support/run-in-process.js'
import { cliData, describeRun, filesUnder, hashesUnder, makeLectureClip, mediaDir, setupLocalPipeline, type PipelineSetup } from './pipeline-fixture.js'

/*
 * "A non-media file, a truncated MP4, a zero-length file, a file without an audio stream, a file name with path
 * separators or control characters — the recording is marked failed with a clear reason and nothing else is
 * touched." Bad files sit next to good ones in one source folder, and two more come through `recordings add`.
 */

const CONTROL = /\p{Cc}/u

/** Bad inbox files and what their failure reason must say. */
const BAD: Record<string, RegExp> = {
  'Lecture 02 notes.mp4': /not a readable media file/,
  'Lecture 03 half downloaded.mp4': /truncated: the container says 20\.0 s but its media data ends at/,
  'Lecture 04 cut before the index.mp4': /not a readable media file \(moov atom not found/,
  'Lecture 05 empty.mp4': /is empty \(0 bytes\)/,
  'Lecture 06 no sound.mp4': /has no audio stream/,
  'Lecture 08 \u0007bell\r.mp4': /not a readable media file/,
}
// The good recording of the folder, under a name with a newline, a backslash, a tab and an escape sequence.
const GOOD_WEIRD_NAME = 'Lecture 01 line\nbreak\\back\tslash\u001b[31m.mp4'

describe('bad media next to good media in one source', () => {
  let work: string
  let setup: PipelineSetup
  let outside: string

  beforeAll(async () => {
    work = tempHome('recflow-bad-media-')
    const inbox = path.join(work, 'inbox')
    outside = path.join(work, 'elsewhere')
    fs.mkdirSync(outside, { recursive: true })
    fs.mkdirSync(inbox)
    const tools = await systemOrBundledTools()
    const good = await makeLectureClip(path.join(work, 'good.mp4'), { durationS: 20, size: '160x90', leadS: 3, tailS: 3 })
    const faststart = path.join(work, 'faststart.mp4')
    ffmpegSync(tools, ['-i', good, '-c', 'copy', '-movflags', '+faststart', faststart])
    const bytes = fs.readFileSync(good)
    const fsBytes = fs.readFileSync(faststart)
    fs.writeFileSync(path.join(inbox, 'Lecture 02 notes.mp4'), 'Bring a laptop to the next lecture.\n')
    fs.writeFileSync(path.join(inbox, 'Lecture 03 half downloaded.mp4'), fsBytes.subarray(0, Math.floor(fsBytes.length / 2)))
    fs.writeFileSync(path.join(inbox, 'Lecture 04 cut before the index.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.6)))
    fs.writeFileSync(path.join(inbox, 'Lecture 05 empty.mp4'), '')
    await makeLectureClip(path.join(inbox, 'Lecture 06 no sound.mp4'), { durationS: 4, size: '160x90' })
    ffmpegSync(tools, ['-i', path.join(inbox, 'Lecture 06 no sound.mp4'), '-an', '-c', 'copy', path.join(work, 'silent.mp4')])
    fs.renameSync(path.join(work, 'silent.mp4'), path.join(inbox, 'Lecture 06 no sound.mp4'))
    fs.renameSync(good, path.join(inbox, GOOD_WEIRD_NAME))
    fs.writeFileSync(path.join(inbox, 'Lecture 08 \u0007bell\r.mp4'), 'minutes of the meeting, saved with the wrong extension\n')
    // Through `recordings add`: a truncated copy, and a good one whose display name is a path.
    fs.writeFileSync(path.join(outside, 'Lecture 10 truncated.mp4'), fsBytes.subarray(0, Math.floor(fsBytes.length / 3)))
    fs.writeFileSync(path.join(outside, 'upload.mp4'), bytes)
    fs.rmSync(faststart)
    setup = await setupLocalPipeline(path.join(work, 'home'), { inbox, destination: path.join(work, 'published') })
  })

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

  it('fails each bad file with a reason that names the problem, processes the good ones, and touches nothing else', async () => {
    const before = { inbox: hashesUnder(setup.inbox), outside: hashesUnder(outside) }
    const home = setup.home

    // An unusable file is bad input (exit 2), and still a recording, failed with the reason.
    const truncatedAdd = await runCli(['recordings', 'add', path.join(outside, 'Lecture 10 truncated.mp4'), '--json'], { home })
    expect(truncatedAdd.code, describeRun(['recordings', 'add', 'truncated'], truncatedAdd)).toBe(2)
    expect(truncatedAdd.json.error).toMatchObject({ code: 'validation', message: expect.stringMatching(/Lecture 10 truncated\.mp4 is truncated/), hint: expect.stringContaining('recflow recordings show') })
    expect(truncatedAdd.json.error.details.recording).toMatchObject({ status: 'SKIPPED', failed: true, failed_reason: expect.stringMatching(/is truncated/) })
    const pathNamed = await cliData(['recordings', 'add', path.join(outside, 'upload.mp4'), '--name', 'Lecture 09 ../../escape/attempt'], home)
    expect(pathNamed.recording).toMatchObject({ failed: false, template_id: setup.templateId })

    // Sync reads no media (a signature check only): what only a probe tells apart (a truncated file, a missing
    // index, no sound) fails at its first processing, so those tasks fail and the run exits 1.
    const run = await runCli(['run', '--json'], { home })
    expect(run.code, describeRun(['run', '--json'], run)).toBe(1)
    const outcomes: Array<{ recordingId: number; displayName: string; state: string; result: { status: string } }> = run.json.data.recordings
    const succeeded = outcomes.filter((o) => o.state === 'succeeded')
    expect(succeeded.map((o) => [o.state, o.result.status])).toEqual([
      ['succeeded', 'READY'],
      ['succeeded', 'READY'],
    ])
    expect(outcomes.filter((o) => o.state !== 'succeeded').map((o) => [o.state, o.displayName]).sort()).toEqual([
      ['failed', 'Lecture 03 half downloaded'],
      ['failed', 'Lecture 04 cut before the index'],
      ['failed', 'Lecture 06 no sound'],
    ])
    // Display names are titles: control characters become spaces, the backslash and slashes stay.
    expect(succeeded.map((o) => o.displayName).sort()).toEqual(['Lecture 01 line break\\back slash [31m', 'Lecture 09 ../../escape/attempt'])

    // Every bad file is a failed recording whose reason says what is wrong with it.
    const failed: { items: Array<{ id: number; display_name: string; original_file: string; failed_reason: string }> } = await cliData(
      ['recordings', 'list', '--failed'],
      home,
    )
    const byFile = Object.fromEntries(failed.items.map((r) => [path.basename(r.original_file), r]))
    expect(Object.keys(byFile).sort()).toEqual([...Object.keys(BAD), 'Lecture 10 truncated.mp4'].sort())
    for (const [file, reason] of Object.entries(BAD)) expect(byFile[file]!.failed_reason, file).toMatch(reason)
    for (const r of failed.items) expect(r.display_name).not.toMatch(CONTROL)
    expect(byFile['Lecture 08 \u0007bell\r.mp4']!.display_name).toBe('Lecture 08 bell')

    // `show` gives the reason too, with the name's control characters as visible escapes, never raw.
    const bell = byFile['Lecture 08 \u0007bell\r.mp4']!
    const shown = await runCli(['recordings', 'show', String(bell.id)], { home })
    expect(shown.code).toBe(0)
    expect(shown.stdout).toMatch(/failed:\s+DOWNLOAD: Lecture 08 \\x07bell \.mp4 is not a readable media file/)
    expect(shown.stdout.replace(/\n/g, '')).not.toMatch(CONTROL)

    // Run by hand anyway, the pipeline's own probe refuses it the same way: a failed run, no files.
    const truncated = byFile['Lecture 03 half downloaded.mp4']!
    const rerun = await runCli(['recordings', 'run', String(truncated.id), '--json'], { home })
    expect(rerun.code, describeRun(['recordings', 'run'], rerun)).toBe(1)
    expect(rerun.json.data.recordings[0]).toMatchObject({ state: 'failed', error: { message: expect.stringMatching(/is truncated/) } })
    // The envelope agrees with the exit code, so a script reading `ok` is not misled; the whole result stays in data.
    expect(rerun.json).toMatchObject({
      ok: false,
      error: { code: 'run_failed', message: expect.stringMatching(new RegExp(`^1 of 1 recording failed: #${truncated.id} .*is truncated`)), hint: expect.any(String) },
    })

    // Nothing else touched: the bad files byte for byte, no media folder and nothing published for them.
    expect({ inbox: hashesUnder(setup.inbox), outside: hashesUnder(outside) }).toEqual(before)
    for (const r of failed.items) expect(fs.existsSync(mediaDir(home, r.id)), r.display_name).toBe(false)
    const published = filesUnder(setup.destination)
    expect(published).toHaveLength(6) // media, poster and metadata of each of the two good recordings
    // Published names are file names: separators replaced, control characters gone, all inside the destination.
    for (const name of published) expect(name).not.toMatch(/[/\\]|\p{Cc}/u)
    expect(published.filter((n) => n.endsWith('.mp4')).map((n) => n.replace(/^\d{4}-\d{2}-\d{2} /, '')).sort()).toEqual([
      'Lecture 01 line break-back slash [31m.mp4',
      'Lecture 09 ..-..-escape-attempt.mp4',
    ])
    expect(fs.readdirSync(work).sort()).toEqual(['elsewhere', 'home', 'inbox', 'published'])
  }, 240_000)
})

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'
import { recordingFiles } from '../../../src/services/pipeline/recording-files.js'
import { writeTranscript } from '../../../src/services/pipeline/transcript-file.js'
import { tempHome, type CliResult } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { openTestApp } from '../../support/test-app.js'
import { sampleTranscript } from '../../support/transcripts.js'

// Through oclif in-process on dist/ (test/support/run-in-process.ts): build first (`npm test` does).

let home: string
let done: number
let skipped: number
const cli = (...args: string[]): Promise<CliResult> => runCommandInProcess(args, { home })

const OUTRO = { kind: 'known_outro' as const, text: 'Thank you for watching!', start: 3700, end: 3702.5 }

beforeAll(async () => {
  home = tempHome('recflow-transcript-')
  expect((await cli('init')).code).toBe(0)
  const app = await openTestApp(home)
  try {
    const scope = forUser(app.database.db, app.localUser.id)
    const add = (name: string) =>
      scope.recordings.create({ display_name: name, start_time: '2026-03-02T09:00:00Z', duration: 3800, status: 'INITIALIZED', original_file: `/in/${name}.mp4`, size_bytes: 1, template_id: null, is_mapped: true })
    const a = await add('Transcribed')
    const b = await add('Not transcribed')
    done = a.id
    skipped = b.id
    const transcript = sampleTranscript({ duration: 3800, hallucinations: [OUTRO] })
    writeTranscript(recordingFiles(path.join(home, 'data', 'media'), app.localUser.id, a.id, '.mp4'), transcript)
    const row = await scope.stages.ensure(a.id, 'TRANSCRIBE')
    await scope.stages.update(row.id, { status: 'COMPLETED', stage_meta: { hallucinations: [OUTRO], hallucination_count: 1 }, completed_at: new Date() })
    const other = await scope.stages.ensure(b.id, 'TRANSCRIBE')
    await scope.stages.update(other.id, { status: 'SKIPPED', skip_reason: 'transcription is disabled in the config (transcription.enabled = false)', completed_at: new Date() })
  } finally {
    await app.close()
  }
}, 60_000)

afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

describe('recordings transcript', () => {
  it('prints the readable text by default', async () => {
    const r = await cli('recordings', 'transcript', String(done))
    expect(r).toMatchObject({ code: 0, stdout: 'Hello world.\n\nAgain.\n', stderr: '' })
  })

  it('prints the JSON document with --format json, and one envelope with --json', async () => {
    const r = await cli('recordings', 'transcript', String(done), '--format', 'json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'recflow.transcript', words: [{ text: 'Hello' }, { text: 'world.' }, { text: 'Again.' }] })

    const j = await cli('recordings', 'transcript', String(done), '--format', 'json', '--json')
    expect(j.json).toMatchObject({ ok: true, data: { recording_id: done, format: 'json', file: expect.stringMatching(/transcript\.json$/), content: { empty: false } } })
  })

  it('says which stage makes a missing file, and why it has not (exit 3, a hint that runs it)', async () => {
    const srt = await cli('recordings', 'transcript', String(done), '--format', 'srt', '--json')
    expect(srt.code).toBe(3)
    expect(srt.json.error).toMatchObject({
      code: 'not_found',
      message: `recording ${done} has no SRT subtitles yet (GENERATE_SUBTITLES has not run)`,
      hint: `run \`recflow recordings run ${done} --force GENERATE_SUBTITLES\` with srt in subtitles.formats`,
    })
    const text = await cli('recordings', 'transcript', String(skipped))
    expect(text.code).toBe(3)
    expect(text.stderr).toContain('has no transcript: TRANSCRIBE was skipped (transcription is disabled in the config')
    expect(text.stdout).toBe('')
  })

  it('refuses an unknown format and an unknown recording', async () => {
    expect((await cli('recordings', 'transcript', String(done), '--format', 'docx')).code).toBe(2)
    expect((await cli('recordings', 'transcript', '999')).code).toBe(3)
  })
})

describe('recordings show', () => {
  it('lists the hallucinations flagged in the transcript', async () => {
    const r = await cli('recordings', 'show', String(done))
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('possible hallucinations in the transcript (1):\n  1:01:40-1:01:42  known outro: Thank you for watching!')
    const plain = await cli('recordings', 'show', String(skipped))
    expect(plain.stdout).not.toContain('hallucination')
  })
})

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { recordingFiles, type RecordingFiles } from '../../../../src/services/pipeline/recording-files.js'
import { readTranscript, transcriptText, writeTranscript } from '../../../../src/services/pipeline/transcript-file.js'
import { sampleTranscript } from '../../../support/transcripts.js'

describe('transcript files', () => {
  let dir: string
  let files: RecordingFiles
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-transcript-'))
    files = recordingFiles(dir, 1, 7, '.mp4')
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('writes transcript.json and a readable transcript.txt, and reads the JSON back', async () => {
    writeTranscript(files, sampleTranscript())
    expect(await readTranscript(files, 7)).toEqual(sampleTranscript())
    expect(fs.readFileSync(files.transcriptText, 'utf8')).toBe('Hello world.\n\nAgain.\n')
    expect(fs.readdirSync(files.dir).filter((n) => n.endsWith('.part'))).toEqual([])
  })

  it('writes an empty text file for an empty transcript', () => {
    writeTranscript(files, sampleTranscript({ empty: true, words: [], segments: [] }))
    expect(fs.readFileSync(files.transcriptText, 'utf8')).toBe('')
    expect(transcriptText({ segments: [{ text: '  ', start: 0, end: 1 }] })).toBe('')
  })

  it('refuses to write a transcript its readers would refuse, and leaves nothing behind', () => {
    expect(() => writeTranscript(files, sampleTranscript({ duration: -1 }))).toThrow()
    expect(fs.existsSync(files.transcript)).toBe(false)
    expect(fs.existsSync(files.transcriptText)).toBe(false)
  })

  it('a missing transcript is not_found with the command that makes it', async () => {
    await expect(readTranscript(files, 7)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('recording 7 has no transcript'),
      hint: expect.stringContaining('recflow recordings run 7 --force TRANSCRIBE'),
    })
  })

  it('a file that is not JSON is a validation error naming the file', async () => {
    fs.mkdirSync(files.dir, { recursive: true })
    fs.writeFileSync(files.transcript, '{"format": "recflow.tr')
    await expect(readTranscript(files, 7)).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('is not valid JSON') })
  })

  it('JSON of the wrong shape is a validation error naming the field', async () => {
    fs.mkdirSync(files.dir, { recursive: true })
    const bad = { ...sampleTranscript(), words: [{ text: 'x', start: 'soon', end: 1 }] }
    fs.writeFileSync(files.transcript, JSON.stringify(bad))
    await expect(readTranscript(files)).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/words\[0\]\.start/),
      hint: expect.stringContaining('recflow recordings run <id> --force TRANSCRIBE'),
    })
  })
})

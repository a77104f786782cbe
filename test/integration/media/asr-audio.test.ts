import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { chooseAsrAudioFormat, extractAsrAudio } from '../../../src/media/asr-audio.js'
import { probeCapabilities, type MediaCapabilities } from '../../../src/media/capabilities.js'
import { probeMedia } from '../../../src/media/probe.js'
import { detectSilence } from '../../../src/media/silence.js'
import type { FfmpegProgress, MediaInfo, MediaTools } from '../../../src/media/types.js'
import { bundledTools, makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

// 60 s of tone bursts: sound 5-15, 20-30, 35-45, 50-58; silence elsewhere.
const TONES = [{ start: 5, end: 15 }, { start: 20, end: 30 }, { start: 35, end: 45 }, { start: 50, end: 58 }]

describe('audio for transcription', () => {
  let tools: MediaTools
  let caps: MediaCapabilities
  let dir: string
  let media: MediaInfo

  beforeAll(async () => {
    tools = await systemOrBundledTools()
    caps = await probeCapabilities(tools)
    dir = makeTempDir()
    media = await probeMedia(tools, makeClip(tools, path.join(dir, 'talk.mp4'), { durationS: 60, tones: TONES }))
  })
  afterAll(() => removeDir(dir))

  it('writes one mono 16 kHz Opus file when there is no size limit', async () => {
    const out = path.join(dir, 'whole')
    const events: FfmpegProgress[] = []
    const pieces = await extractAsrAudio(tools, media, { outputDir: out, format: chooseAsrAudioFormat(caps) }, { onProgress: (p) => events.push(p) })
    expect(pieces).toHaveLength(1)
    expect(pieces[0]).toMatchObject({ path: path.join(out, 'asr.ogg'), offsetS: 0, durationS: media.durationS })
    const info = await probeMedia(tools, pieces[0]?.path ?? '')
    expect(info.video).toBeUndefined()
    expect(info.audio).toMatchObject({ codec: 'opus', channels: 1 })
    expect(info.durationS).toBeCloseTo(60, 0)
    expect(events[events.length - 1]).toMatchObject({ done: true, percent: 100 })
    expect(fs.readdirSync(out)).toEqual(['asr.ogg'])
  })

  it('splits at silences into pieces under the limit, with offsets that tile the recording', async () => {
    const format = chooseAsrAudioFormat(caps)
    const maxBytes = 80_000 // about 20 s of 24 kbit/s audio per piece
    const silences = await detectSilence(tools, media, { thresholdDb: -40, minSilenceS: 2 })
    const out = path.join(dir, 'split')
    const pieces = await extractAsrAudio(tools, media, { outputDir: out, format, maxBytes, silences })
    expect(pieces.length).toBeGreaterThanOrEqual(3)
    let cursor = 0
    for (const piece of pieces) {
      expect(piece.offsetS).toBeCloseTo(cursor, 6)
      expect(piece.sizeBytes).toBeLessThanOrEqual(maxBytes)
      expect(piece.sizeBytes).toBe(fs.statSync(piece.path).size)
      // Every split lands in a silence, never inside a tone.
      if (piece.offsetS > 0) expect(TONES.some((t) => piece.offsetS > t.start && piece.offsetS < t.end)).toBe(false)
      const info = await probeMedia(tools, piece.path)
      expect(info.durationS).toBeCloseTo(piece.durationS, 1)
      cursor = piece.offsetS + piece.durationS
    }
    expect(cursor).toBeCloseTo(media.durationS, 6)
    expect(fs.readdirSync(out)).toEqual(pieces.map((p) => path.basename(p.path)))
    expect(path.basename(pieces[0]?.path ?? '')).toBe('asr-000.ogg')
  })

  it('falls back to MP3 when Opus is unavailable', async () => {
    const format = chooseAsrAudioFormat({ ...caps, encoders: { ...caps.encoders, libopus: false } })
    const [piece] = await extractAsrAudio(tools, media, { outputDir: path.join(dir, 'mp3'), format, stem: 'speech' })
    expect(path.basename(piece?.path ?? '')).toBe('speech.mp3')
    const info = await probeMedia(tools, piece?.path ?? '')
    expect(info.audio).toMatchObject({ codec: 'mp3', channels: 1, sampleRate: 16000 })
  })

  it('removes the pieces it wrote when cancelled part-way', async () => {
    const out = path.join(dir, 'cancelled')
    const controller = new AbortController()
    let reachedS = 0
    const err = await extractAsrAudio(
      tools,
      media,
      { outputDir: out, format: chooseAsrAudioFormat(caps), maxBytes: 80_000, silences: [] },
      {
        signal: controller.signal,
        onProgress: (p) => {
          // Let the first piece finish, then cancel during the second.
          reachedS = Math.max(reachedS, p.outTimeS)
          if (p.outTimeS > 25) controller.abort()
        },
      },
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect((err as RecflowError).code).toBe('cancelled')
    expect(reachedS).toBeGreaterThan(25) // past the first piece (~20 s), so one piece had been written
    expect(fs.readdirSync(out)).toEqual([])
  })
})

describe('audio for transcription with the bundled ffmpeg', () => {
  it('splits into Opus pieces the same way', async () => {
    const tools = await bundledTools()
    const dir = makeTempDir()
    try {
      const media = await probeMedia(tools, makeClip(tools, path.join(dir, 'talk.m4a'), { durationS: 60, tones: TONES, video: false }))
      const silences = await detectSilence(tools, media, { thresholdDb: -40, minSilenceS: 2 })
      const pieces = await extractAsrAudio(tools, media, { outputDir: dir, format: chooseAsrAudioFormat(await probeCapabilities(tools)), maxBytes: 80_000, silences })
      expect(pieces.length).toBeGreaterThanOrEqual(3)
      for (const piece of pieces) expect(piece.sizeBytes).toBeLessThanOrEqual(80_000)
      const last = pieces[pieces.length - 1]
      expect((last?.offsetS ?? 0) + (last?.durationS ?? 0)).toBeCloseTo(media.durationS, 6)
      expect((await probeMedia(tools, pieces[0]?.path ?? '')).audio).toMatchObject({ codec: 'opus', channels: 1 })
    } finally {
      removeDir(dir)
    }
  })
})

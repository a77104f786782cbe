import { describe, expect, it } from 'vitest'
import { asrAudioArgs, chooseAsrAudioFormat, planAudioPieces, type AsrAudioFormat } from '../../../src/media/asr-audio.js'
import type { MediaCapabilities } from '../../../src/media/capabilities.js'

const caps = (encoders: Partial<MediaCapabilities['encoders']>): MediaCapabilities => ({
  encoders: { libx264: true, aac: true, libopus: false, libmp3lame: false, mjpeg: true, ...encoders },
  filters: { silencedetect: true, trim: true, atrim: true, concat: true, aresample: true, scale: true },
})

const opus = chooseAsrAudioFormat(caps({ libopus: true, libmp3lame: true }))

describe('chooseAsrAudioFormat', () => {
  it('prefers Opus in Ogg', () => {
    expect(opus).toMatchObject({ codec: 'opus', encoder: 'libopus', muxer: 'ogg', extension: 'ogg', bitrateKbps: 24 })
  })
  it('falls back to MP3 without libopus', () => {
    expect(chooseAsrAudioFormat(caps({ libmp3lame: true }))).toMatchObject({ codec: 'mp3', extension: 'mp3' })
  })
  it('fails with a hint when neither encoder exists', () => {
    expect(() => chooseAsrAudioFormat(caps({}))).toThrow(/missing encoder libmp3lame/)
  })
})

describe('asrAudioArgs', () => {
  it('encodes the whole input as mono 16 kHz constant-bit-rate Opus', () => {
    expect(asrAudioArgs({ input: 'rec.mp4', output: 'asr.ogg.part', format: opus, audioStreamIndex: 1 })).toEqual([
      '-v', 'error',
      '-i', 'rec.mp4',
      '-map', '0:1',
      '-vn', '-sn', '-dn',
      '-map_metadata', '-1',
      '-ac', '1',
      '-ar', '16000',
      '-c:a', 'libopus',
      '-b:a', '24k',
      '-vbr', 'off', '-application', 'audio',
      '-compression_level', '0',
      '-f', 'ogg',
      '-y', 'asr.ogg.part',
    ])
  })

  it('seeks to a piece and limits its duration', () => {
    const mp3: AsrAudioFormat = chooseAsrAudioFormat(caps({ libmp3lame: true }))
    const args = asrAudioArgs({ input: 'rec.m4a', output: 'p.part', format: mp3, startS: 1800.25, durationS: 1799.75 })
    expect(args.slice(0, 8)).toEqual(['-v', 'error', '-ss', '1800.25', '-i', 'rec.m4a', '-t', '1799.75'])
    expect(args).toEqual(expect.arrayContaining(['-map', '0:a:0', '-c:a', 'libmp3lame', '-b:a', '24k', '-compression_level', '9', '-f', 'mp3']))
    expect(args).not.toContain('-vbr')
  })
})

describe('planAudioPieces', () => {
  const bytesPerSecond = 1000
  // maxBytes giving exactly 100 s per piece: (max * 0.95 - 16384) / 1000 = 100
  const maxBytes = (100 * 1000 + 16384) / 0.95

  it('keeps short audio in one piece, and everything in one piece without a limit', () => {
    expect(planAudioPieces({ durationS: 90, silences: [], bytesPerSecond, maxBytes })).toEqual([{ offsetS: 0, durationS: 90 }])
    expect(planAudioPieces({ durationS: 9000, silences: [], bytesPerSecond })).toEqual([{ offsetS: 0, durationS: 9000 }])
  })

  it('splits in the middle of the latest short silence before the limit', () => {
    const pieces = planAudioPieces({ durationS: 180, silences: [{ start: 40, end: 41 }, { start: 90, end: 91.5 }, { start: 120, end: 121 }], bytesPerSecond, maxBytes })
    expect(pieces).toEqual([{ offsetS: 0, durationS: 90.75 }, { offsetS: 90.75, durationS: 89.25 }])
  })

  it('splits inside a long silence as late as the limit allows, away from its edges', () => {
    const pieces = planAudioPieces({ durationS: 150, silences: [{ start: 80, end: 130 }], bytesPerSecond, maxBytes })
    expect(pieces[0]).toEqual({ offsetS: 0, durationS: 100 })
    const early = planAudioPieces({ durationS: 150, silences: [{ start: 80, end: 95 }], bytesPerSecond, maxBytes })
    expect(early[0]).toEqual({ offsetS: 0, durationS: 94 })
  })

  it('cuts hard at the limit when there is no silence', () => {
    const pieces = planAudioPieces({ durationS: 250, silences: [], bytesPerSecond, maxBytes })
    expect(pieces.map((p) => p.offsetS)).toEqual([0, 100, 200])
    expect(pieces[2]?.durationS).toBeCloseTo(50, 9)
  })

  it('covers the input exactly, without gaps or overlaps, and keeps every piece under the limit', () => {
    const silences = Array.from({ length: 50 }, (_, i) => ({ start: i * 37 + 30, end: i * 37 + 32.5 }))
    const pieces = planAudioPieces({ durationS: 1800, silences, bytesPerSecond, maxBytes })
    let cursor = 0
    for (const p of pieces) {
      expect(p.offsetS).toBeCloseTo(cursor, 9)
      expect(p.durationS * bytesPerSecond + 16384).toBeLessThanOrEqual(maxBytes)
      cursor = p.offsetS + p.durationS
    }
    expect(cursor).toBeCloseTo(1800, 9)
  })

  it('refuses a limit too small to make progress', () => {
    expect(() => planAudioPieces({ durationS: 100, silences: [], bytesPerSecond, maxBytes: 10_000 })).toThrow(/too small/)
  })
})

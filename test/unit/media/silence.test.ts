import { describe, expect, it } from 'vitest'
import { extendSilencesToMediaEdges, isSilenceLine, parseSilenceDetect, silencedetectArgs } from '../../../src/media/silence.js'

// Verbatim stderr of `ffmpeg -i lecture.mp4 -vn -af silencedetect=n=-40dB:d=2 -f null -` (ffmpeg 5.1).
const SAMPLE = `
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'lecture.mp4':
  Duration: 00:02:00.00, start: 0.000000, bitrate: 737 kb/s
[silencedetect @ 0x556f3b3feb00] silence_start: 0
[silencedetect @ 0x556f3b3feb00] silence_end: 18.0136 | silence_duration: 18.0136
[silencedetect @ 0x556f3b3feb00] silence_start: 21.0545
[silencedetect @ 0x556f3b3feb00] silence_end: 23.1706 | silence_duration: 2.11613
[silencedetect @ 0x556f3b3feb00] silence_start: 61.3712
[silencedetect @ 0x556f3b3feb00] silence_end: 85.7072 | silence_duration: 24.3359
[silencedetect @ 0x556f3b3feb00] silence_start: 104.082
size=N/A time=00:02:00.00 bitrate=N/A speed=1.88e+03x
video:0kB audio:7500kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[silencedetect @ 0x556f3b3feb00] silence_end: 120 | silence_duration: 15.9183
`.split('\n')

describe('silencedetectArgs', () => {
  it('decodes only the audio stream and sends the result nowhere', () => {
    expect(silencedetectArgs('/in/rec.mp4', { thresholdDb: -40, minSilenceS: 2 })).toEqual([
      '-i', '/in/rec.mp4',
      '-map', '0:a:0',
      '-vn', '-sn', '-dn',
      '-af', 'silencedetect=n=-40dB:d=2',
      '-f', 'null', '-',
    ])
  })

  it('maps the probed audio stream by index and keeps fractional settings exact', () => {
    const args = silencedetectArgs('a.mkv', { thresholdDb: -35.5, minSilenceS: 0.75, audioStreamIndex: 2 })
    expect(args).toContain('0:2')
    expect(args).toContain('silencedetect=n=-35.5dB:d=0.75')
  })

  it('rejects a threshold above 0 dB and a non-positive minimum duration', () => {
    expect(() => silencedetectArgs('a.mp4', { thresholdDb: 3, minSilenceS: 2 })).toThrow(/out of range/)
    expect(() => silencedetectArgs('a.mp4', { thresholdDb: -40, minSilenceS: 0 })).toThrow(/positive/)
  })
})

describe('parseSilenceDetect', () => {
  it('pairs starts and ends from real ffmpeg output, ignoring the other lines', () => {
    expect(parseSilenceDetect(SAMPLE, 120)).toEqual([
      { start: 0, end: 18.0136 },
      { start: 21.0545, end: 23.1706 },
      { start: 61.3712, end: 85.7072 },
      { start: 104.082, end: 120 },
    ])
  })

  it('returns nothing for audio without silence', () => {
    expect(parseSilenceDetect(['size=N/A time=00:00:10.00 bitrate=N/A'], 10)).toEqual([])
  })

  it('returns one interval covering everything for all-silent audio', () => {
    const lines = ['[silencedetect @ 0x1] silence_start: 0', '[silencedetect @ 0x1] silence_end: 10 | silence_duration: 10']
    expect(parseSilenceDetect(lines, 10)).toEqual([{ start: 0, end: 10 }])
  })

  it('handles silence at the start only', () => {
    const lines = ['[silencedetect @ 0x1] silence_start: 0', '[silencedetect @ 0x1] silence_end: 4.5 | silence_duration: 4.5']
    expect(parseSilenceDetect(lines, 60)).toEqual([{ start: 0, end: 4.5 }])
  })

  it('closes a trailing silence_start without an end at the duration', () => {
    const lines = ['[silencedetect @ 0x1] silence_start: 50.25']
    expect(parseSilenceDetect(lines, 60)).toEqual([{ start: 50.25, end: 60 }])
  })

  it('clamps a slightly negative start (encoder priming) to zero and an end past the duration to it', () => {
    const lines = [
      '[silencedetect @ 0x1] silence_start: -0.0213333',
      '[silencedetect @ 0x1] silence_end: 3 | silence_duration: 3.02133',
      '[silencedetect @ 0x1] silence_start: 58',
      '[silencedetect @ 0x1] silence_end: 60.0213 | silence_duration: 2.0213',
    ]
    expect(parseSilenceDetect(lines, 60)).toEqual([
      { start: 0, end: 3 },
      { start: 58, end: 60 },
    ])
  })

  it('reads exponent notation and recovers a start from silence_duration when its line is missing', () => {
    const lines = ['[silencedetect @ 0x1] silence_end: 1.2e+03 | silence_duration: 200']
    expect(parseSilenceDetect(lines, 1500)).toEqual([{ start: 1000, end: 1200 }])
  })
})

describe('isSilenceLine', () => {
  it('keeps only silencedetect lines', () => {
    expect(SAMPLE.filter(isSilenceLine)).toHaveLength(8)
  })
})

describe('extendSilencesToMediaEdges', () => {
  it('stretches a trailing silence that stops a millisecond short of the container end', () => {
    // Measured on a concatenated MP4: audio ends at 3600.032, the container at 3600.033.
    const out = extendSilencesToMediaEdges([{ start: 0, end: 40 }, { start: 3580.032, end: 3600.032 }], { durationS: 3600.033, audioStartS: 0, audioEndS: 3600.032 })
    expect(out).toEqual([{ start: 0, end: 40 }, { start: 3580.032, end: 3600.033 }])
  })

  it('counts the time before the audio starts and after it ends as silence', () => {
    const out = extendSilencesToMediaEdges([{ start: 30, end: 35 }], { durationS: 60, audioStartS: 2, audioEndS: 55 })
    expect(out).toEqual([{ start: 0, end: 2 }, { start: 30, end: 35 }, { start: 55, end: 60 }])
  })

  it('pulls a leading silence that starts with the audio back to zero', () => {
    const out = extendSilencesToMediaEdges([{ start: 0.52, end: 10 }], { durationS: 60, audioStartS: 0.5, audioEndS: 60 })
    expect(out).toEqual([{ start: 0, end: 10 }])
  })

  it('leaves real sound at the edges alone', () => {
    const out = extendSilencesToMediaEdges([{ start: 5, end: 10 }], { durationS: 60, audioStartS: 0, audioEndS: 60 })
    expect(out).toEqual([{ start: 5, end: 10 }])
  })
})

import { describe, expect, it } from 'vitest'
import { ffprobeReason, isoTimestamp, parseProbeOutput, rate } from '../../../src/media/probe.js'

const file = { path: '/media/rec_1/source.mp4', sizeBytes: 5_000_000_000 }

const zoomLike = {
  streams: [
    { index: 0, codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001', r_frame_rate: '30/1', duration: '3600.0' },
    { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000', bit_rate: '128000', duration: '3600.02' },
  ],
  format: {
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration: '3600.021000',
    start_time: '0.000000',
    bit_rate: '2500000',
    tags: { creation_time: '2024-03-05T09:58:12.000000Z' },
  },
}

describe('parseProbeOutput', () => {
  it('reads duration, streams, size beyond 32 bits and the creation time', () => {
    expect(parseProbeOutput(JSON.stringify(zoomLike), file)).toEqual({
      path: file.path,
      durationS: 3600.021,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      sizeBytes: 5_000_000_000,
      timelineStartS: 0,
      bitRate: 2_500_000,
      video: { index: 0, codec: 'h264', width: 1920, height: 1080, fps: 30000 / 1001 },
      audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000, bitRate: 128000, startS: 0, durationS: 3600.02 },
      startTime: '2024-03-05T09:58:12.000Z',
    })
  })

  it('treats cover art as no video, so an audio file stays audio-only', () => {
    const m4a = {
      streams: [
        { index: 0, codec_type: 'audio', codec_name: 'aac', channels: 1, sample_rate: '16000' },
        { index: 1, codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } },
      ],
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '120.0' },
    }
    const info = parseProbeOutput(JSON.stringify(m4a), file)
    expect(info.video).toBeUndefined()
    expect(info.audio?.index).toBe(0)
  })

  it('uses the longest stream when the container has no duration, and keeps a non-zero start', () => {
    const ts = {
      streams: [{ index: 0, codec_type: 'audio', codec_name: 'mp2', duration: '59.5' }, { index: 1, codec_type: 'video', codec_name: 'mpeg2video', duration: '60.0', avg_frame_rate: '0/0', r_frame_rate: '25/1' }],
      format: { format_name: 'mpegts', start_time: '1.400000' },
    }
    const info = parseProbeOutput(JSON.stringify(ts), file)
    expect(info.durationS).toBe(60)
    expect(info.timelineStartS).toBe(1.4)
    // Stream start times without their own start_time fall back to the container's: the audio starts at 0.
    expect(info.audio).toMatchObject({ startS: 0, durationS: 59.5 })
    expect(info.video?.fps).toBe(25)
  })

  it('rejects a file with neither audio nor video', () => {
    const subs = { streams: [{ index: 0, codec_type: 'subtitle' }], format: { format_name: 'srt', duration: '10' } }
    expect(() => parseProbeOutput(JSON.stringify(subs), file)).toThrow('source.mp4 has no audio or video stream')
  })

  it('rejects a file without a duration', () => {
    const still = { streams: [{ index: 0, codec_type: 'video', codec_name: 'png' }], format: { format_name: 'png_pipe', duration: 'N/A' } }
    expect(() => parseProbeOutput(JSON.stringify(still), file)).toThrow(/has no known duration/)
  })
})

describe('ffprobeReason', () => {
  it("keeps ffprobe's words without demuxer prefixes and repeated file names", () => {
    expect(
      ffprobeReason(['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55f3e909c1c0] moov atom not found', '/tmp/x/trunc.mp4: Invalid data found when processing input']),
    ).toBe('moov atom not found; Invalid data found when processing input')
  })
  it('says so when ffprobe said nothing', () => {
    expect(ffprobeReason([])).toMatch(/without saying why/)
  })
})

describe('rate and isoTimestamp', () => {
  it('reads frame-rate fractions', () => {
    expect(rate('25/1')).toBe(25)
    expect(rate('0/0')).toBeUndefined()
    expect(rate(undefined)).toBeUndefined()
  })
  it('normalizes creation times to ISO UTC and drops epoch placeholders', () => {
    expect(isoTimestamp('2024-03-05T09:58:12.123456Z')).toBe('2024-03-05T09:58:12.123Z')
    expect(isoTimestamp('1970-01-01T00:00:00.000000Z')).toBeUndefined()
    expect(isoTimestamp('garbage')).toBeUndefined()
  })
})

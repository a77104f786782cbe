import { describe, expect, it } from 'vitest'
import { parseEncoderList, parseFilterList, requireCapabilities, type MediaCapabilities } from '../../../src/media/capabilities.js'

const ENCODERS = `Encoders:
 V..... = Video
 A..... = Audio
 S..... = Subtitle
 ------
 V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 A..... aac                  AAC (Advanced Audio Coding)
 A....D libmp3lame           libmp3lame MP3 (MPEG audio layer 3) (codec mp3)
 A..... libopus              libopus Opus (codec opus)`.split('\n')

const FILTERS = `Filters:
  T.. = Timeline support
  .S. = Slice threading
  ..C = Command support
  A = Audio input/output
  | = Source or sink filter
 ... abench            A->A       Benchmark part of a filtergraph.
 ... silencedetect     A->A       Detect silence.
 ..C concat            N->N       Concatenate audio and video streams.
 ... abuffer           |->A       Buffer audio frames, and make them accessible to the filterchain.
 T.. trim              V->V       Pick one continuous section from the input, drop the rest.`.split('\n')

describe('parseEncoderList', () => {
  it('reads encoder names after the separator and skips the legend', () => {
    expect([...parseEncoderList(ENCODERS)]).toEqual(['libx264', 'aac', 'libmp3lame', 'libopus'])
  })
})

describe('parseFilterList', () => {
  it('reads filter names, including sources, and skips the legend', () => {
    expect([...parseFilterList(FILTERS)]).toEqual(['abench', 'silencedetect', 'concat', 'abuffer', 'trim'])
  })
})

describe('requireCapabilities', () => {
  const caps: MediaCapabilities = {
    encoders: { libx264: false, aac: true, libopus: true, libmp3lame: true, mjpeg: true },
    filters: { silencedetect: true, trim: true, atrim: true, concat: false, aresample: true, scale: true },
  }
  it('passes when everything needed is there', () => {
    expect(() => requireCapabilities(caps, { encoders: ['aac'], filters: ['silencedetect'] }, 'detect silence')).not.toThrow()
  })
  it('names every missing piece and suggests a full build', () => {
    expect(() => requireCapabilities(caps, { encoders: ['libx264'], filters: ['concat'] }, 're-encode')).toThrow(
      'this ffmpeg cannot re-encode: missing encoder libx264, filter concat',
    )
  })
})

import { describe, expect, it } from 'vitest'
import { containerForPath } from '../../../src/media/containers.js'
import { edgesTrimArgs, MAX_INLINE_FILTER_CHARS, pausesFilterGraph, pausesTrimArgs } from '../../../src/media/trim.js'

const mp4 = containerForPath('out.mp4')

describe('edgesTrimArgs', () => {
  it('seeks just after the planned keyframe and stream-copies every stream', () => {
    expect(edgesTrimArgs({ input: 'in.mp4', output: 'out.mp4.part', container: mp4, keep: { start: 14, end: 109.082 }, startsAtKeyframe: true })).toEqual([
      '-v', 'error',
      '-ss', '14.001',
      '-i', 'in.mp4',
      '-t', '95.081',
      '-map', '0',
      '-c', 'copy',
      '-avoid_negative_ts', 'make_zero',
      '-movflags', '+faststart',
      '-f', 'mp4',
      '-y', 'out.mp4.part',
    ])
  })

  it('seeks exactly for audio-only input and keeps the audio container (no faststart for mp3)', () => {
    expect(
      edgesTrimArgs({ input: 'in.mp3', output: 'out.mp3.part', container: containerForPath('x.mp3'), keep: { start: 13.0136, end: 109.082 }, startsAtKeyframe: false }),
    ).toEqual(['-v', 'error', '-ss', '13.0136', '-i', 'in.mp3', '-t', '96.0684', '-map', '0', '-c', 'copy', '-avoid_negative_ts', 'make_zero', '-f', 'mp3', '-y', 'out.mp3.part'])
  })

  it('reserves room for the MP4 index up front instead of rewriting the file afterwards', () => {
    const args = edgesTrimArgs({ input: 'in.mp4', output: 'o.part', container: mp4, keep: { start: 2, end: 9 }, startsAtKeyframe: true, moovReserveBytes: 250_000 })
    expect(args).toEqual(expect.arrayContaining(['-moov_size', '250000']))
    expect(args).not.toContain('-movflags')
  })

  it('does not seek when the kept interval starts at zero', () => {
    const args = edgesTrimArgs({ input: 'a.m4a', output: 'b.part', container: containerForPath('b.m4a'), keep: { start: 0, end: 50 }, startsAtKeyframe: false })
    expect(args.slice(0, 6)).toEqual(['-v', 'error', '-i', 'a.m4a', '-t', '50'])
    expect(args).toContain('ipod')
  })
})

describe('pausesTrimArgs', () => {
  const keep = [{ start: 13, end: 61.87 }, { start: 85.2, end: 109.082 }]

  it('trims each kept interval, concatenates, and re-encodes H.264/AAC at the source audio bit rate', () => {
    const { args, filterScript } = pausesTrimArgs({
      input: 'in.mp4', output: 'out.mp4.part', container: mp4, keep, videoStreamIndex: 0, audioStreamIndex: 1, audioBitRate: 96_000,
    })
    expect(filterScript).toBeUndefined()
    expect(args).toEqual([
      '-v', 'error',
      '-i', 'in.mp4',
      '-filter_complex',
      '[0:0]trim=start=13:end=61.87,setpts=PTS-STARTPTS[v0];[0:1]atrim=start=13:end=61.87,asetpts=PTS-STARTPTS[a0];' +
        '[0:0]trim=start=85.2:end=109.082,setpts=PTS-STARTPTS[v1];[0:1]atrim=start=85.2:end=109.082,asetpts=PTS-STARTPTS[a1];' +
        '[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]',
      '-map', '[v]', '-map', '[a]',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '96k',
      '-movflags', '+faststart',
      '-f', 'mp4',
      '-y', 'out.mp4.part',
    ])
  })

  it('keeps audio-only input audio-only', () => {
    const { args } = pausesTrimArgs({ input: 'in.m4a', output: 'o.part', container: containerForPath('o.m4a'), keep, audioStreamIndex: 0 })
    expect(args).not.toContain('libx264')
    expect(args).not.toContain('[v]')
    expect(args[args.indexOf('-filter_complex') + 1]).toMatch(/\[a0\]\[a1\]concat=n=2:v=0:a=1\[a\]$/)
    expect(args).toEqual(expect.arrayContaining(['-c:a', 'aac', '-b:a', '128k', '-f', 'ipod']))
  })

  it('clamps the audio bit rate to a sane range and picks the encoder from the container', () => {
    const { args } = pausesTrimArgs({ input: 'i.mp3', output: 'o.part', container: containerForPath('o.mp3'), keep, audioStreamIndex: 0, audioBitRate: 24_000 })
    expect(args).toEqual(expect.arrayContaining(['-c:a', 'libmp3lame', '-b:a', '64k']))
  })

  it('moves a very long graph into a script file', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ start: i * 10, end: i * 10 + 5 }))
    expect(pausesFilterGraph(many, 0, 1).length).toBeGreaterThan(MAX_INLINE_FILTER_CHARS)
    const { args, filterScript } = pausesTrimArgs({
      input: 'in.mp4', output: 'o.part', container: mp4, keep: many, videoStreamIndex: 0, audioStreamIndex: 1, filterScriptPath: '/tmp/o.filter',
    })
    expect(args.slice(4, 6)).toEqual(['-filter_complex_script', '/tmp/o.filter'])
    expect(filterScript).toBe(pausesFilterGraph(many, 0, 1))
  })

  it('refuses to put re-encoded video into an audio-only or WebM container', () => {
    expect(() => pausesTrimArgs({ input: 'i.mp4', output: 'o.part', container: containerForPath('o.webm'), keep, videoStreamIndex: 0, audioStreamIndex: 1 })).toThrow(
      /cannot hold/,
    )
  })
})

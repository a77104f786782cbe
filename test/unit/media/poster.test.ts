import { describe, expect, it } from 'vitest'
import { clampPosterTime, posterArgs } from '../../../src/media/poster.js'

describe('posterArgs', () => {
  it('seeks before the input and writes one JPEG frame', () => {
    expect(posterArgs({ input: 'rec.mp4', atS: 10, durationS: 3600, output: 'poster.jpg.part', videoStreamIndex: 0 })).toEqual([
      '-v', 'error',
      '-ss', '10',
      '-i', 'rec.mp4',
      '-map', '0:0',
      '-an', '-sn', '-dn',
      '-frames:v', '1',
      '-c:v', 'mjpeg',
      '-q:v', '3',
      '-f', 'image2', '-update', '1',
      '-y', 'poster.jpg.part',
    ])
  })

  it('takes the first frame without seeking when asked for time zero', () => {
    expect(posterArgs({ input: 'a.mp4', atS: 0, durationS: 5, output: 'p.jpg' }).slice(0, 6)).toEqual(['-v', 'error', '-i', 'a.mp4', '-map', '0:v:0'])
  })
})

describe('clampPosterTime', () => {
  it('keeps a time inside the recording', () => {
    expect(clampPosterTime(10, 60)).toBe(10)
  })
  it('pulls a time past the end back to one second before it', () => {
    expect(clampPosterTime(600, 60)).toBe(59)
  })
  it('clamps negative or invalid times to zero, and very short recordings to zero', () => {
    expect(clampPosterTime(-5, 60)).toBe(0)
    expect(clampPosterTime(Number.NaN, 60)).toBe(0)
    expect(clampPosterTime(10, 0.5)).toBe(0)
  })
})

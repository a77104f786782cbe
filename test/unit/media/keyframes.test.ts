import { describe, expect, it } from 'vitest'
import { keyframeListArgs, parseKeyframeLine } from '../../../src/media/keyframes.js'

describe('keyframeListArgs', () => {
  it('lists packet flags of the video stream without decoding, for the whole file', () => {
    expect(keyframeListArgs('rec.mp4')).toEqual([
      '-v', 'error',
      '-select_streams', 'v:0',
      '-show_entries', 'packet=pts_time,flags',
      '-of', 'csv=p=0',
      'rec.mp4',
    ])
  })

  it('reads only the given windows, shifted into the container timeline', () => {
    const args = keyframeListArgs('rec.ts', { windows: [{ start: 13, end: 18.5 }, { start: 100, end: 101 }], timelineStartS: 1.4, videoStreamIndex: 2 })
    expect(args).toEqual(['-v', 'error', '-select_streams', '2', '-read_intervals', '14.4%19.9,101.4%102.4', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', 'rec.ts'])
  })
})

describe('parseKeyframeLine', () => {
  it('returns the time of keyframe packets only', () => {
    expect(parseKeyframeLine('14.000000,K_')).toBe(14)
    expect(parseKeyframeLine('14.040000,__')).toBeUndefined()
    expect(parseKeyframeLine('N/A,K_')).toBeUndefined()
    expect(parseKeyframeLine('')).toBeUndefined()
  })
})

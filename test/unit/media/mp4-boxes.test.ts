import { describe, expect, it } from 'vitest'
import { moovReservation, parseBoxHeader, parseMvhdDuration } from '../../../src/media/mp4-boxes.js'

const header = (size: number, type: string, large?: bigint) => {
  const bytes = new Uint8Array(16)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, size)
  for (let i = 0; i < 4; i++) bytes[4 + i] = type.charCodeAt(i)
  if (large !== undefined) view.setBigUint64(8, large)
  return bytes
}

describe('parseBoxHeader', () => {
  it('reads a 32-bit box size and type', () => {
    expect(parseBoxHeader(header(2_078_868, 'moov'))).toEqual({ type: 'moov', size: 2_078_868, headerSize: 8 })
  })
  it('reads a 64-bit size (mdat over 4 GiB)', () => {
    expect(parseBoxHeader(header(1, 'mdat', 6_000_000_000n))).toEqual({ type: 'mdat', size: 6_000_000_000, headerSize: 16 })
  })
  it('keeps size 0 (box runs to the end of the file)', () => {
    expect(parseBoxHeader(header(0, 'mdat'))?.size).toBe(0)
  })
  it('rejects impossible sizes, non-text types and short reads', () => {
    expect(parseBoxHeader(header(4, 'free'))).toBeUndefined()
    expect(parseBoxHeader(new Uint8Array(5))).toBeUndefined()
    expect(parseBoxHeader(new Uint8Array([0, 0, 0, 8, 0, 1, 2, 3]))).toBeUndefined()
  })
})

describe('moovReservation', () => {
  it('adds a margin to the input index size', () => {
    expect(moovReservation(2_000_000)).toBe(2_100_000 + 65_536)
  })
})

describe('parseMvhdDuration', () => {
  const mvhd = (version: 0 | 1, timescale: number, duration: number) => {
    const bytes = new Uint8Array(32)
    const view = new DataView(bytes.buffer)
    view.setUint8(0, version)
    if (version === 0) {
      view.setUint32(12, timescale)
      view.setUint32(16, duration)
    } else {
      view.setUint32(20, timescale)
      view.setBigUint64(24, BigInt(duration))
    }
    return bytes
  }
  it('reads version 0 and version 1 headers', () => {
    expect(parseMvhdDuration(mvhd(0, 1000, 49_089))).toBeCloseTo(49.089, 6)
    expect(parseMvhdDuration(mvhd(1, 90_000, 90_000 * 36_000))).toBe(36_000)
  })
  it('refuses a zero timescale, an unknown duration, another version or a short body', () => {
    expect(parseMvhdDuration(mvhd(0, 0, 10))).toBeUndefined()
    expect(parseMvhdDuration(mvhd(0, 1000, 0xffffffff))).toBeUndefined()
    expect(parseMvhdDuration(new Uint8Array([2, ...new Array(31).fill(0)]))).toBeUndefined()
    expect(parseMvhdDuration(new Uint8Array(10))).toBeUndefined()
  })
})

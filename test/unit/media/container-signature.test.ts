import { describe, expect, it } from 'vitest'
import { containerFromSignature } from '../../../src/media/container-signature.js'

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))

describe('containerFromSignature', () => {
  it.each([
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0])],
    ['mp4', bytes([0, 0, 0, 8], 'free', [0, 0, 0, 8], 'mdat')],
    ['matroska', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81])],
    ['wav', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['avi', bytes('RIFF', [0x24, 0, 0, 0], 'AVI LIST')],
    ['mp3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0])],
    ['mp3', bytes([0xff, 0xfb, 0x90, 0x64])],
    ['aac', bytes([0xff, 0xf1, 0x50, 0x80])],
    ['ogg', bytes('OggS', [0, 2, 0, 0])],
    ['flac', bytes('fLaC', [0, 0, 0, 0x22])],
  ])('recognises %s', (name, head) => {
    expect(containerFromSignature(head)).toBe(name)
  })

  it('recognises an MPEG transport stream by its sync bytes every 188 bytes', () => {
    const ts = Buffer.alloc(400)
    ts[0] = ts[188] = ts[376] = 0x47
    expect(containerFromSignature(ts)).toBe('mpegts')
  })

  it.each([
    ['text', bytes('these are meeting notes, not a video\n')],
    ['too short', bytes([0, 0])],
    ['empty', Buffer.alloc(0)],
    ['a lone 0x47', bytes([0x47, 1, 2, 3, 4, 5, 6, 7, 8])],
    ['JSON', bytes('{"title": "lecture"}')],
    ['an MPEG frame header with the reserved version', bytes([0xff, 0xeb, 0x90, 0x64])],
  ])('names no container for %s', (_what, head) => {
    expect(containerFromSignature(head)).toBeUndefined()
  })
})

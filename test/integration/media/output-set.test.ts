import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OutputSet } from '../../../src/media/output-set.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'

let dir: string
beforeEach(() => {
  dir = makeTempDir()
})
afterEach(() => removeDir(dir))

const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8')
const names = () => fs.readdirSync(dir).sort()

describe('OutputSet', () => {
  it('replaces every previous file at once, keeps them aside until discard, and leaves no part', async () => {
    fs.writeFileSync(path.join(dir, 'a.mp4'), 'old a')
    fs.writeFileSync(path.join(dir, 'b.json'), 'old b')
    const oldInode = fs.statSync(path.join(dir, 'a.mp4')).ino
    const set = new OutputSet()
    await set.write(dir, async (s) => {
      fs.writeFileSync(s.part(path.join(dir, 'a.mp4')), 'new a')
      fs.writeFileSync(s.part(path.join(dir, 'b.json')), 'new b')
      fs.writeFileSync(s.part(path.join(dir, 'c.jpg')), 'new c')
      // Nothing is replaced while the set is being written.
      expect(read('a.mp4')).toBe('old a')
    })
    expect([read('a.mp4'), read('b.json'), read('c.jpg')]).toEqual(['new a', 'new b', 'new c'])
    expect(fs.statSync(path.join(dir, 'a.mp4')).ino).not.toBe(oldInode)
    // The old versions wait aside (as *.part, which a crashed run's cleanup removes) until discard.
    expect(names().filter((n) => n.endsWith('.old.part'))).toHaveLength(2)
    await set.discard()
    expect(names()).toEqual(['a.mp4', 'b.json', 'c.jpg'])
  })

  it('removes every part and changes nothing when writing fails', async () => {
    fs.writeFileSync(path.join(dir, 'a.mp4'), 'old a')
    const set = new OutputSet()
    await expect(
      set.write(dir, async (s) => {
        fs.writeFileSync(s.part(path.join(dir, 'a.mp4')), 'new a')
        fs.writeFileSync(s.part(path.join(dir, 'b.json')), 'new b')
        throw new Error('poster failed')
      }),
    ).rejects.toThrow('poster failed')
    expect(names()).toEqual(['a.mp4'])
    expect(read('a.mp4')).toBe('old a')
  })

  it('puts the earlier files back when a later rename fails: all or nothing', async () => {
    fs.writeFileSync(path.join(dir, 'a.mp4'), 'old a')
    fs.writeFileSync(path.join(dir, 'b.json'), 'old b')
    const set = new OutputSet()
    await expect(
      set.write(dir, async (s) => {
        fs.writeFileSync(s.part(path.join(dir, 'a.mp4')), 'new a')
        // b's part is never written: its rename fails after a's succeeded.
        s.part(path.join(dir, 'b.json'))
      }),
    ).rejects.toThrow(/ENOENT/)
    expect(names()).toEqual(['a.mp4', 'b.json'])
    expect([read('a.mp4'), read('b.json')]).toEqual(['old a', 'old b'])
  })

  it('gives each output one unpredictable part name next to it', () => {
    const set = new OutputSet()
    const final = path.join(dir, 'processed.mp4')
    const part = set.part(final)
    expect(set.part(final)).toBe(part)
    expect(part).toMatch(/^.*\/processed\.mp4\.[0-9a-f]{12}\.part$/)
    expect(new OutputSet().part(final)).not.toBe(part)
  })
})

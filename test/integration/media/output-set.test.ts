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
const at = (...n: string[]) => n.map((x) => path.join(dir, x))

describe('OutputSet', () => {
  it('removes the previous set before writing, then puts the new one in place and leaves no part', async () => {
    fs.writeFileSync(path.join(dir, 'a.mp4'), 'old a')
    fs.writeFileSync(path.join(dir, 'b.json'), 'old b')
    fs.writeFileSync(path.join(dir, 'source.mp4'), 'source')
    const set = new OutputSet(at('a.mp4', 'b.json', 'c.jpg'))
    await set.write(dir, async (s) => {
      // The old versions are gone before the new ones are written (the source is not part of the set).
      expect(names()).toEqual(['source.mp4'])
      fs.writeFileSync(s.part(path.join(dir, 'a.mp4')), 'new a')
      fs.writeFileSync(s.part(path.join(dir, 'b.json')), 'new b')
      fs.writeFileSync(s.part(path.join(dir, 'c.jpg')), 'new c')
    })
    expect([read('a.mp4'), read('b.json'), read('c.jpg')]).toEqual(['new a', 'new b', 'new c'])
    expect(names()).toEqual(['a.mp4', 'b.json', 'c.jpg', 'source.mp4'])
  })

  it('leaves none of the set when writing fails: no old file, no part', async () => {
    fs.writeFileSync(path.join(dir, 'a.mp4'), 'old a')
    const set = new OutputSet(at('a.mp4', 'b.json'))
    await expect(
      set.write(dir, async (s) => {
        fs.writeFileSync(s.part(path.join(dir, 'a.mp4')), 'new a')
        fs.writeFileSync(s.part(path.join(dir, 'b.json')), 'new b')
        throw new Error('poster failed')
      }),
    ).rejects.toThrow('poster failed')
    expect(names()).toEqual([])
  })

  it('removes the files already renamed when a later rename fails: all or nothing', async () => {
    const set = new OutputSet(at('a.mp4', 'b.json'))
    await expect(
      set.write(dir, async (s) => {
        fs.writeFileSync(s.part(path.join(dir, 'a.mp4')), 'new a')
        // b's part is never written: its rename fails after a's succeeded.
        s.part(path.join(dir, 'b.json'))
      }),
    ).rejects.toThrow(/ENOENT/)
    expect(names()).toEqual([])
  })

  it('gives each output of the set one unpredictable part name next to it, and no other path', () => {
    const final = path.join(dir, 'processed.mp4')
    const set = new OutputSet([final])
    const part = set.part(final)
    expect(set.part(final)).toBe(part)
    expect(part).toMatch(/^.*\/processed\.mp4\.[0-9a-f]{12}\.part$/)
    expect(new OutputSet([final]).part(final)).not.toBe(part)
    expect(() => set.part(path.join(dir, 'other.mp4'))).toThrow(/not part of this output set/)
  })
})

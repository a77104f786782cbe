import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { DEFAULT_LOCAL_GLOB } from '../../../src/domain/resources/index.js'
import { compileGlob, globToRegExp } from '../../../src/services/sync/glob.js'

// Pure; lives beside the scanner tests it serves.
describe('glob patterns for local sources', () => {
  const matches = (glob: string, relPath: string) => compileGlob(glob)(relPath)

  it('lets * and ? stay within one path segment', () => {
    expect(matches('lectures/*.mp4', 'lectures/a.mp4')).toBe(true)
    expect(matches('lectures/*.mp4', 'lectures/2024/a.mp4')).toBe(false)
    expect(matches('lectures/?.mp4', 'lectures/a.mp4')).toBe(true)
    expect(matches('lectures/?.mp4', 'lectures/ab.mp4')).toBe(false)
    expect(matches('a?b/x.mp4', 'a/b/x.mp4')).toBe(false)
  })

  it('lets ** span any number of folders, none included', () => {
    expect(matches('**/*.mp4', 'a.mp4')).toBe(true)
    expect(matches('**/*.mp4', 'x/y/z/a.mp4')).toBe(true)
    expect(matches('x/**/a.mp4', 'x/a.mp4')).toBe(true)
    expect(matches('x/**/a.mp4', 'x/1/2/a.mp4')).toBe(true)
    expect(matches('x/**', 'x/1/2/a.mp4')).toBe(true)
    expect(matches('x/**/a.mp4', 'y/x/a.mp4')).toBe(false)
  })

  it('reads {a,b} as alternatives, nested too', () => {
    expect(matches('**/*.{mp4,m4a}', 'talk.m4a')).toBe(true)
    expect(matches('**/*.{mp4,m4a}', 'talk.mkv')).toBe(false)
    expect(matches('{a,b{1,2}}/*.wav', 'b2/x.wav')).toBe(true)
    expect(matches('{a,b{1,2}}/*.wav', 'b3/x.wav')).toBe(false)
  })

  it('ignores case, so cameras writing .MP4 are found', () => {
    expect(matches(DEFAULT_LOCAL_GLOB, 'DCIM/CLIP0001.MP4')).toBe(true)
  })

  it('matches a glob without a slash against the file name at any depth', () => {
    expect(matches('*.wav', 'deep/down/here.wav')).toBe(true)
    expect(matches('*.wav', 'deep/down/here.mp4')).toBe(false)
  })

  it('treats regex characters and escaped wildcards literally', () => {
    expect(matches('week (1)+[a].mp4', 'week (1)+[a].mp4')).toBe(true)
    expect(matches('week (1)+[a].mp4', 'week 1+a.mp4')).toBe(false)
    expect(matches('a\\*.mp4', 'a*.mp4')).toBe(true)
    expect(matches('a\\*.mp4', 'ab.mp4')).toBe(false)
    expect(globToRegExp('a.b').test('axb')).toBe(false)
  })

  it('rejects an unclosed brace with a validation error', () => {
    expect(() => compileGlob('**/*.{mp4,m4a')).toThrow(RecflowError)
    expect(() => compileGlob('**/*.{mp4,m4a')).toThrow(/never closed/)
  })

  it('keeps a stray closing brace or comma literal', () => {
    expect(matches('a,b}.mp4', 'a,b}.mp4')).toBe(true)
  })
})

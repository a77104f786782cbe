import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import { compileNamePattern, validateSourceInput, validateSourcePatch } from '../../../../src/domain/resources/source-input.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

describe('validateSourceInput', () => {
  it('fills local defaults', () => {
    expect(validateSourceInput({ name: 'Folder', platform: 'local', config: { path: '/rec' } })).toEqual({
      name: 'Folder',
      is_active: true,
      platform: 'local',
      config: { path: '/rec', glob: '**/*.{mp4,m4a,mkv,webm,mov,mp3,wav}', recursive: true },
    })
  })

  it('requires a non-empty local path', () => {
    expect(errorOf(() => validateSourceInput({ name: 'F', platform: 'local', config: { path: '  ' } })).message).toMatch(
      /config.path: must not be empty/,
    )
    expect(errorOf(() => validateSourceInput({ name: 'F', platform: 'local' })).message).toMatch(/config: required/)
  })

  it('fills zoom defaults and requires a credential', () => {
    expect(validateSourceInput({ name: 'Z', platform: 'zoom', credential_id: 2 })).toMatchObject({
      config: { user_id: 'me', include_trash: false },
    })
    expect(errorOf(() => validateSourceInput({ name: 'Z', platform: 'zoom' })).message).toMatch(
      /credential_id: required: zoom sources need a credential; sign in with `recflow auth zoom`/,
    )
  })

  it('checks zoom dates', () => {
    const zoom = (config: object) => () => validateSourceInput({ name: 'Z', platform: 'zoom', credential_id: 2, config })
    expect(() => zoom({ from: '2024-02-29', to: '2024-03-01' })()).not.toThrow()
    expect(errorOf(zoom({ from: '2023-02-29' })).message).toMatch(/config.from: is not a calendar date/)
    expect(errorOf(zoom({ from: '01.02.2024' })).message).toMatch(/config.from: must be a date like 2024-09-01/)
    expect(errorOf(zoom({ from: '2024-03-02', to: '2024-03-01' })).message).toMatch(/from must not be after to/)
    expect(errorOf(zoom({ min_duration_minutes: -1 })).message).toMatch(/min_duration_minutes: must be >= 0/)
  })

  it('refuses a credential on a local source', () => {
    expect(() => validateSourceInput({ name: 'F', platform: 'local', credential_id: 1, config: { path: '/r' } })).toThrow(
      /local sources take no credential/,
    )
  })

  it('validates the name pattern', () => {
    const local = (name_pattern: string) => () =>
      validateSourceInput({ name: 'F', platform: 'local', config: { path: '/r', name_pattern } })
    expect(() => local('(?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d) (?P<title>.+)')()).not.toThrow()
    expect(errorOf(local('(?P<year>\\d{4}')).message).toMatch(/^config.name_pattern: invalid pattern/)
    expect(errorOf(local('(?P<yr>\\d{4})')).message).toMatch(/unknown named group 'yr'/)
  })
})

describe('compileNamePattern', () => {
  it('requires year, month and day together for a start time', () => {
    expect(() => compileNamePattern('(?P<year>\\d{4})')).toThrow(/year, month and day together/)
    expect(() => compileNamePattern('(?P<hour>\\d\\d)')).toThrow(/year, month and day together/)
    expect(() => compileNamePattern('(?P<title>.+)\\.mp4')).not.toThrow()
  })

  it('reads the groups from a file name', () => {
    const [m] = compileNamePattern('(?<year>\\d{4})(?<month>\\d\\d)(?<day>\\d\\d)').matchAll('GMT20240905-lecture.mp4')
    expect(m?.groups).toMatchObject({ year: '2024', month: '09', day: '05' })
  })
})

describe('validateSourcePatch', () => {
  it('accepts a partial config and checks the name pattern', () => {
    expect(validateSourcePatch({ config: { recursive: false } }, 'local')).toEqual({ config: { recursive: false } })
    expect(() => validateSourcePatch({ config: { name_pattern: '(?P<x>a)' } }, 'local')).toThrow(/unknown named group/)
    expect(() => validateSourcePatch({ config: { path: '/x' } }, 'zoom')).toThrow(/unknown key 'path'/)
  })
})

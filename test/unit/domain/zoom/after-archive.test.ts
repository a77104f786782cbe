import { describe, expect, it } from 'vitest'
import { decideZoomTrash, type TrashFacts } from '../../../../src/domain/zoom/after-archive.js'
import { validateTemplateInput } from '../../../../src/domain/resources/index.js'

const ready: TrashFacts = {
  policy: 'trash',
  sourcePlatform: 'zoom',
  meetingUuid: '/ajXp112QmuoKj4854875==',
  trashedAt: null,
  downloadStatus: 'COMPLETED',
  localSizeBytes: 1000,
  expectedSizeBytes: 1000,
  presetIds: [1, 2],
  targets: [
    { presetId: 1, status: 'UPLOADED' },
    { presetId: 2, status: 'UPLOADED' },
  ],
}

describe('decideZoomTrash', () => {
  it('trashes a verified, fully published Zoom recording when the template says trash', () => {
    expect(decideZoomTrash(ready)).toEqual({ action: 'trash', meetingUuid: '/ajXp112QmuoKj4854875==' })
  })

  it('keeps by default and with keep', () => {
    expect(decideZoomTrash({ ...ready, policy: undefined })).toMatchObject({ action: 'none' })
    expect(decideZoomTrash({ ...ready, policy: 'keep' })).toMatchObject({ action: 'none' })
  })

  it('does nothing for a recording that is not from Zoom, or is already trashed', () => {
    expect(decideZoomTrash({ ...ready, sourcePlatform: 'local' })).toMatchObject({ action: 'none', reason: 'not a Zoom recording' })
    expect(decideZoomTrash({ ...ready, sourcePlatform: null })).toMatchObject({ action: 'none' })
    expect(decideZoomTrash({ ...ready, trashedAt: '2026-01-01T00:00:00.000Z' })).toMatchObject({ action: 'none', reason: expect.stringContaining('already') })
  })

  it('waits until the download is verified and the local copy is there with its verified size', () => {
    for (const downloadStatus of [null, 'PENDING', 'IN_PROGRESS', 'FAILED', 'SKIPPED'] as const) {
      expect(decideZoomTrash({ ...ready, downloadStatus })).toMatchObject({ action: 'wait' })
    }
    expect(decideZoomTrash({ ...ready, localSizeBytes: null })).toEqual({ action: 'wait', reason: 'the local copy is missing' })
    expect(decideZoomTrash({ ...ready, localSizeBytes: 999 })).toMatchObject({ action: 'wait', reason: expect.stringContaining('999 bytes') })
    expect(decideZoomTrash({ ...ready, localSizeBytes: 0, expectedSizeBytes: null })).toMatchObject({ action: 'wait' })
    expect(decideZoomTrash({ ...ready, meetingUuid: null })).toMatchObject({ action: 'wait' })
  })

  it('waits until every preset the recording publishes to has an UPLOADED target', () => {
    const one = (status: string) => ({ ...ready, targets: [{ presetId: 1, status: 'UPLOADED' }, { presetId: 2, status }] })
    for (const status of ['NOT_UPLOADED', 'UPLOADING', 'FAILED']) {
      expect(decideZoomTrash(one(status))).toEqual({ action: 'wait', reason: 'not published yet to preset 2' })
    }
    // A preset with no target row at all (left out, or upload.auto_upload off) holds it back too.
    expect(decideZoomTrash({ ...ready, targets: [] })).toEqual({ action: 'wait', reason: 'not published yet to presets 1, 2' })
    // A target of a preset the recording no longer publishes to does not count.
    expect(decideZoomTrash({ ...ready, presetIds: [1], targets: [{ presetId: 1, status: 'UPLOADED' }, { presetId: 9, status: 'FAILED' }] })).toMatchObject({
      action: 'trash',
    })
  })

  it('trashes a recording that publishes nothing once its copy is verified', () => {
    expect(decideZoomTrash({ ...ready, presetIds: [], targets: [] })).toMatchObject({ action: 'trash' })
  })
})

describe('output_config.zoom_after_archive', () => {
  const template = (output_config: unknown) => validateTemplateInput({ name: 't', matching_rules: { keywords: ['x'] }, output_config })

  it('accepts keep and trash', () => {
    expect(template({ zoom_after_archive: 'trash' }).output_config).toEqual({ preset_ids: [], zoom_after_archive: 'trash' })
    expect(template({ zoom_after_archive: 'keep', preset_ids: [3] }).output_config).toEqual({ preset_ids: [3], zoom_after_archive: 'keep' })
  })

  it('refuses anything else, a hard delete included', () => {
    expect(() => template({ zoom_after_archive: 'delete' })).toThrow(/zoom_after_archive/)
  })
})

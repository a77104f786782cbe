import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { useTestApp } from '../../support/test-app.js'
import { markStagesDone, randomMedia, readyToPublish } from '../../support/publish-ready.js'

/*
 * `recordings reset` keeps the record of what is already published, so reset + run never publishes a recording a
 * second time (before, the folder got "name (2).mp4"); --forget-published deletes the records too. A target that
 * holds a platform video (a checkpoint with a video id) counts as published even when its last attempt failed.
 */

const t = useTestApp()

async function publishedOnce(name: string) {
  const out = path.join(t.home, `out-${name}`)
  const media = randomMedia(path.join(t.home, `${name}.mp4`), 4096)
  const preset = await (await t.app.service('presets')).create(t.app.localUser, { name: `Folder ${name}`, platform: 'local', preset_metadata: { destination: out } })
  const { scope, recordingId } = await readyToPublish(t.app, { name, mediaFile: media.file, presetIds: [preset.id] })
  const run = await t.app.service('run')
  const events: RecflowEvent[] = []
  const first = await run.run(t.app.localUser, { recordingIds: [recordingId] }, { onEvent: (e) => events.push(e) })
  expect(first.recordings[0]).toMatchObject({ state: 'succeeded' })
  // The folder publisher reports the bytes it copied (the view shows them with the speed).
  expect(events.filter((e) => e.type === 'progress' && e.stage === 'UPLOAD').at(-1)).toMatchObject({ bytes: 4096, totalBytes: 4096, percent: 100 })
  expect(videos(out)).toEqual([`2026-03-02 ${name}.mp4`])
  return { out, scope, recordingId, run, media, preset }
}

const videos = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.mp4')).sort()

describe('recordings reset and what was published', () => {
  it('keeps a published target: reset + run publishes nothing new', async () => {
    const { out, scope, recordingId, run, media } = await publishedOnce('Kept')
    const reset = await (await t.app.service('recordings')).reset(t.app.localUser, recordingId)
    expect(reset).toMatchObject({ removedTargets: 0, keptTargets: 1 })
    // The stages run again (the processed file is the source here, so PROCESS is re-run from the stage rows' absence).
    await markStagesDone(scope, recordingId, media.file)
    const again = await run.run(t.app.localUser, { recordingIds: [recordingId] })
    expect(again.recordings[0]).toMatchObject({ state: 'succeeded' })
    expect(videos(out)).toEqual(['2026-03-02 Kept.mp4'])
    const targets = (await scope.targets.list({ recording_id: recordingId })).items
    expect(targets.map((x) => x.status)).toEqual(['UPLOADED'])
    expect((await scope.recordings.get(recordingId))!.status).toBe('READY')
  })

  it('--forget-published deletes the record: the next run publishes again', async () => {
    const { out, scope, recordingId, run, media } = await publishedOnce('Forgotten')
    const reset = await (await t.app.service('recordings')).reset(t.app.localUser, recordingId, { forgetPublished: true })
    expect(reset).toMatchObject({ removedTargets: 1, keptTargets: 0 })
    await markStagesDone(scope, recordingId, media.file)
    await run.run(t.app.localUser, { recordingIds: [recordingId] })
    expect(videos(out)).toEqual(['2026-03-02 Forgotten (2).mp4', '2026-03-02 Forgotten.mp4'])
  })

  it('keeps a failed target that holds a platform video, and drops one that never reached the platform', async () => {
    const { scope, recordingId } = await publishedOnce('Half')
    const cred = await scope.credentials.create({ platform: 'youtube', account_name: 'ch', encrypted_data: 'x', key_id: 'k' })
    const yt = await scope.presets.create({ name: 'YT Half', platform: 'youtube', credential_id: cred.id })
    const vk = await scope.presets.create({ name: 'VK Half', platform: 'vk', credential_id: cred.id })
    const withVideo = await scope.targets.create({ recording_id: recordingId, preset_id: yt.id, target_type: 'youtube', status: 'FAILED', target_meta: { checkpoint: { videoId: 'v1', done: ['upload'] }, video_id: 'v1' } })
    await scope.targets.create({ recording_id: recordingId, preset_id: vk.id, target_type: 'vk', status: 'FAILED', target_meta: { checkpoint: {} } })
    const reset = await (await t.app.service('recordings')).reset(t.app.localUser, recordingId)
    expect(reset).toMatchObject({ removedTargets: 1, keptTargets: 2 })
    const left = (await scope.targets.list({ recording_id: recordingId })).items.map((x) => x.id)
    expect(left).toContain(withVideo.id)
  })

  it('retry-upload with no failed target is a usage error naming recordings show', async () => {
    const { recordingId } = await publishedOnce('Nothing')
    await expect((await t.app.service('recordings')).uploadSelection(t.app.localUser, recordingId, { failedOnly: true })).rejects.toMatchObject({
      code: 'usage',
      hint: expect.stringContaining(`recflow recordings show ${recordingId}`),
    })
  })
})

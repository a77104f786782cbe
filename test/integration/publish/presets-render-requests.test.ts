import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import { buildPublishRequest, completedStageOutputs, publishRequestFor } from '../../../src/services/publish/publish-request.js'
import { tempHome } from '../../support/cli.js'
import { seedOAuthCredential } from '../../support/oauth.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { lectureTranscript, seedTranscribedRecording } from '../../support/seed-transcript.js'
import { openTestApp } from '../../support/test-app.js'

// `presets add` with the YouTube and VK flags and `presets render --recording` through oclif in-process on dist/
// (build first; `npm test` does); the request it shows is the one buildPublishRequest gives the publishing stage.

let home: string
let app: App
let youtubeCred: number
let vkCred: number
let recordingId: number
let poster: string
let srt: string
const cli = (...args: string[]) => runCommandInProcess(args, { home })
const credential = (platform: 'youtube' | 'vk') =>
  seedOAuthCredential(app, { platform, accessToken: `at-${platform}`, refreshToken: `rt-${platform}`, expiresAt: null, clientId: 'c', clientSecret: 's', accountName: platform })

beforeAll(async () => {
  home = tempHome('recflow-pubreq-')
  app = await openTestApp(home)
  youtubeCred = await credential('youtube')
  vkCred = await credential('vk')
  const { rec, files, scope } = await seedTranscribedRecording(app, lectureTranscript(600), 'Algebra 3')
  recordingId = rec.id
  poster = files.poster
  srt = files.srt
  fs.writeFileSync(poster, Buffer.from([0xff, 0xd8, 0xff, 0xd9]))
  fs.writeFileSync(srt, '1\n00:00:00,000 --> 00:00:01,000\nhello\n')
  // The poster frame from PROCESS, the subtitles from GENERATE_SUBTITLES, the language from TRANSCRIBE.
  for (const [stage, meta] of [
    ['PROCESS', { processed_file: files.processed, processed_duration: 600, poster_file: poster }],
    ['TRANSCRIBE', { words: 10, language: 'de' }],
    ['GENERATE_SUBTITLES', { formats: ['srt'], files: { srt } }],
  ] as const) {
    const row = await scope.stages.ensure(rec.id, stage)
    await scope.stages.update(row.id, { status: 'COMPLETED', stage_meta: meta, completed_at: new Date() })
  }
  // The recording's template overrides the title and the playlist.
  const template = await (await app.service('templates')).create(app.localUser, {
    name: 'Algebra',
    matching_rules: { keywords: ['Algebra'] },
    metadata_config: { title_template: '{display_name} — {start_time:YYYY-MM-DD}', youtube: { playlist_id: 'PLalgebra' } },
  })
  await scope.recordings.update(rec.id, { template_id: template.id })
})

afterAll(async () => {
  await app?.close()
  fs.rmSync(home, { recursive: true, force: true })
})

describe('presets render --recording: the exact requests', () => {
  it('YouTube: videos.insert with the template’s title, scheduled private, then thumbnail, playlist and captions', async () => {
    const added = await cli('presets', 'add', 'Channel', '--platform', 'youtube', '--credential', String(youtubeCred),
      '--description-template', 'Recorded {start_time:DD.MM.YYYY}', '--tag', 'algebra', '--tag', '<math>', '--privacy', 'public',
      '--publish-at', '2099-01-01T18:00:00+01:00', '--category', '28', '--thumbnail', 'poster', '--language', 'en',
      '--no-notify-subscribers', '--license', 'creativeCommon', '--no-embeddable', '--json')
    expect(added.code).toBe(0)
    const id = added.json.data.id as number
    const out = await cli('presets', 'render', String(id), '--recording', String(recordingId), '--json')
    expect(out.code).toBe(0)
    const expected = {
      platform: 'youtube',
      insert: {
        query: { part: 'snippet,status', notifySubscribers: false },
        body: {
          snippet: { title: 'Algebra 3 — 2026-03-02', description: 'Recorded 02.03.2026', tags: ['algebra', 'math'], categoryId: '28', defaultLanguage: 'en', defaultAudioLanguage: 'de' },
          status: { privacyStatus: 'private', publishAt: '2099-01-01T17:00:00.000Z', selfDeclaredMadeForKids: false, embeddable: false, license: 'creativeCommon' },
        },
      },
      thumbnail: { file: poster, contentType: 'image/jpeg' },
      playlist: { playlistId: 'PLalgebra' },
      captions: { file: srt, language: 'de', name: 'German' },
    }
    expect(out.json.data.request).toEqual(expected)
    expect(out.json.data.warnings).toEqual([
      'removed < and > from tags (YouTube does not allow them)',
      'scheduled for 2099-01-01T17:00:00.000Z: uploaded private until then (privacy public is not used)',
    ])

    // The publishing stage's builder gives the same request.
    const scope = forUser(app.database.db, app.localUser.id)
    const recording = (await scope.recordings.get(recordingId))!
    const built = await buildPublishRequest({ scope, user: app.localUser, recording, previous: await completedStageOutputs(scope, recording) }, (await scope.presets.get(id))!)
    expect(built.request).toEqual(expected)

    const human = await cli('presets', 'render', String(id), '--recording', String(recordingId))
    expect(human.stdout).toContain('videos.insert: POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status&notifySubscribers=false')
    expect(human.stdout).toContain('"playlistId": "PLalgebra"')
    expect(human.stdout).toContain(`+ ${srt}`)
  })

  it('VK: video.save form fields for a community, the album, the preview image file', async () => {
    const image = path.join(home, 'cover.png')
    fs.writeFileSync(image, Buffer.from([0x89, 0x50, 0x4e, 0x47]))
    const added = await cli('presets', 'add', 'Group', '--platform', 'vk', '--credential', String(vkCred), '--title', '{display_name}',
      '--group', '77', '--album', '5', '--no-comments', '--wallpost', '--thumbnail', 'cover.png', '--json')
    expect(added.code).toBe(0)
    expect(added.json.data.preset_metadata).toMatchObject({ group_id: 77, album_id: 5, no_comments: true, wallpost: true, thumbnail: image })
    const out = await cli('presets', 'render', String(added.json.data.id), '--recording', String(recordingId), '--json')
    expect(out.code).toBe(0)
    expect(out.json.data.request).toEqual({
      platform: 'vk',
      save: { name: 'Algebra 3 — 2026-03-02', description: '', group_id: '77', album_id: '5', no_comments: '1', wallpost: '1' },
      thumbnail: { file: image, contentType: 'image/png' },
    })
  })

  it('--file: a relative thumbnail is the file’s neighbour, stored absolute; a bad VK privacy in a file is refused and nothing stored', async () => {
    const dir = path.join(home, 'presets')
    fs.mkdirSync(dir, { recursive: true })
    const yaml = (extra: string) =>
      `name: FromFile${extra === '' ? '' : 'Bad'}\nplatform: vk\ncredential_id: ${vkCred}\npreset_metadata:\n  thumbnail: cover.jpg\n  group_id: 9\n${extra}`
    fs.writeFileSync(path.join(dir, 'group.yaml'), yaml(''))
    const added = await cli('presets', 'add', '--file', 'presets/group.yaml', '--json')
    expect(added.code).toBe(0)
    expect(added.json.data.preset_metadata.thumbnail).toBe(path.join(dir, 'cover.jpg'))

    // A template's per-platform override too.
    fs.writeFileSync(path.join(dir, 'template.yaml'), 'name: Covers\nmatching_rules: {keywords: [Covers]}\nmetadata_config:\n  youtube: {thumbnail: art/yt.png}\n  vk: {thumbnail: ~/pics/v.jpg}\n')
    const template = await cli('templates', 'add', '--file', 'presets/template.yaml', '--json')
    expect(template.code).toBe(0)
    expect(template.json.data.metadata_config).toMatchObject({ youtube: { thumbnail: path.join(dir, 'art', 'yt.png') }, vk: { thumbnail: path.join(home, 'pics', 'v.jpg') } }) // HOME is the test home

    fs.writeFileSync(path.join(dir, 'bad.yaml'), yaml('  privacy_comment: everyone\n'))
    const bad = await cli('presets', 'add', '--file', 'presets/bad.yaml', '--json')
    expect(bad.code).not.toBe(0)
    expect(bad.json.error.message).toContain('preset_metadata.privacy_comment')
    expect(JSON.stringify((await cli('presets', 'list', '--json')).json.data)).not.toContain('FromFileBad')
  })

  it('a publish_at already past is refused on add and edit (nothing stored); +Nd HH:MM is kept; an empty YouTube title is named before upload', async () => {
    const past = await cli('presets', 'add', 'Past', '--platform', 'youtube', '--credential', String(youtubeCred), '--publish-at', '2020-01-01T00:00:00Z', '--json')
    expect(past.code).not.toBe(0)
    expect(past.json.error).toMatchObject({ code: 'validation', message: expect.stringContaining('preset_metadata.publish_at (--publish-at): 2020-01-01T00:00:00Z has passed') })
    expect(JSON.stringify((await cli('presets', 'list', '--json')).json.data)).not.toContain('"Past"')

    const added = await cli('presets', 'add', 'Evening', '--platform', 'youtube', '--credential', String(youtubeCred), '--publish-at', '+1d 18:00', '--title', '<>', '--json')
    expect(added.code).toBe(0)
    const id = added.json.data.id as number
    expect(added.json.data.preset_metadata.publish_at).toBe('+1d 18:00')
    const edit = await cli('presets', 'edit', String(id), '--publish-at', '2021-06-01T10:00:00+02:00', '--json')
    expect(edit.json.error?.message).toContain('has passed')
    expect((await cli('presets', 'show', String(id), '--json')).json.data.preset_metadata.publish_at).toBe('+1d 18:00')

    // A template's fixed override is held to the same rule; its relative form is kept.
    const templates = await app.service('templates')
    const override = (publish_at: string, name: string) =>
      templates.create(app.localUser, { name, matching_rules: { keywords: [name] }, metadata_config: { youtube: { publish_at } } })
    await expect(override('2020-01-01T00:00:00Z', 'Late')).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('metadata_config.youtube.publish_at: 2020-01-01T00:00:00Z has passed') })
    expect((await override('+2d 09:00', 'Early')).metadata_config).toMatchObject({ youtube: { publish_at: '+2d 09:00' } })

    // The recording's template gives it a title; without that override the preset's '<>' is empty once cleaned.
    const preset = (await forUser(app.database.db, app.localUser.id).presets.get(id))!
    const ctx = { display_name: 'Algebra 3', start_time: '2026-03-02T09:00:00Z', duration: 60, timezone: 'UTC' }
    expect(() => publishRequestFor(preset, null, ctx, {}, new Date())).toThrow(
      expect.objectContaining({ code: 'validation', message: `preset ${id}'s title renders empty for this recording, and YouTube needs a title`, hint: expect.stringContaining(`recflow presets edit ${id} --title`) }),
    )
    // Fields a template overrides are fixed in the template, and the errors say which one.
    const fromTemplate = (config: Record<string, unknown>) => () => publishRequestFor(preset, config as never, ctx, {}, new Date(), 7)
    expect(fromTemplate({ title_template: '<>' })).toThrow(
      expect.objectContaining({ message: `template 7's title renders empty for this recording, and YouTube needs a title`, hint: expect.stringContaining('recflow templates edit 7 --title') }),
    )
    expect(fromTemplate({ title_template: 'T', youtube: { thumbnail: '/nonexistent/cover.jpg' } })).toThrow(
      expect.objectContaining({ message: `template 7's thumbnail /nonexistent/cover.jpg does not exist`, hint: expect.stringContaining('recflow templates edit 7 --file') }),
    )
  })

  it('a thumbnail file that is gone is refused with the command that fixes it; a VK flag on YouTube is a usage error', async () => {
    const added = await cli('presets', 'add', 'Gone', '--platform', 'youtube', '--credential', String(youtubeCred), '--thumbnail', '/nonexistent/t.jpg', '--json')
    expect(added.code).toBe(0)
    const id = added.json.data.id as number
    const out = await cli('presets', 'render', String(id), '--recording', String(recordingId), '--json')
    expect(out.code).not.toBe(0)
    expect(out.json.error).toMatchObject({ code: 'validation', message: `preset ${id}'s thumbnail /nonexistent/t.jpg does not exist` })
    expect(out.json.error.hint).toContain(`recflow presets edit ${id} --thumbnail FILE`)

    const wrong = await cli('presets', 'edit', String(id), '--group', '5', '--json')
    expect(wrong.code).toBe(2)
    expect(wrong.json.error.message).toContain('--group is a vk setting')
  })
})

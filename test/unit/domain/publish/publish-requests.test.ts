import { describe, expect, it } from 'vitest'
import { resolvePublishAt, vkRequest, youtubeRequest } from '../../../../src/domain/publish/index.js'
import { validatePresetInput, type VkMetadata, type YoutubeMetadata } from '../../../../src/domain/resources/index.js'

const NOW = new Date('2026-03-01T00:00:00Z')
const youtube = (meta: Record<string, unknown> = {}) =>
  validatePresetInput({ name: 'Y', platform: 'youtube', credential_id: 1, preset_metadata: meta }).preset_metadata as YoutubeMetadata
const vk = (meta: Record<string, unknown> = {}) =>
  validatePresetInput({ name: 'V', platform: 'vk', credential_id: 1, preset_metadata: meta }).preset_metadata as VkMetadata
const rendered = { title: 'Lecture 5', description: 'About logs', tags: ['logs', 'consensus'] }
const files = { poster: '/m/poster.jpg', subtitles: { file: '/m/sub.srt', language: 'de' } }

describe('youtubeRequest', () => {
  it('builds videos.insert, thumbnail, playlist and captions from every preset field', () => {
    const meta = youtube({
      privacy: 'public', category_id: 28, playlist_id: 'PL1', made_for_kids: false, default_language: 'en', thumbnail: 'poster',
      embeddable: false, license: 'creativeCommon', public_stats_viewable: true, notify_subscribers: false,
    })
    const { request, warnings } = youtubeRequest(meta, rendered, files, NOW)
    expect(warnings).toEqual([])
    expect(request).toEqual({
      platform: 'youtube',
      insert: {
        query: { part: 'snippet,status', notifySubscribers: false },
        body: {
          snippet: { title: 'Lecture 5', description: 'About logs', tags: ['logs', 'consensus'], categoryId: '28', defaultLanguage: 'en' },
          status: { privacyStatus: 'public', selfDeclaredMadeForKids: false, embeddable: false, license: 'creativeCommon', publicStatsViewable: true },
        },
      },
      thumbnail: { file: '/m/poster.jpg', contentType: 'image/jpeg' },
      playlist: { playlistId: 'PL1' },
      captions: { file: '/m/sub.srt', language: 'de', name: 'German' },
    })
  })

  it('defaults: unlisted, Education, notify, captions on; no optional status fields', () => {
    const { request } = youtubeRequest(youtube(), { ...rendered, tags: [] }, {}, NOW)
    expect(request.insert.query.notifySubscribers).toBe(true)
    expect(request.insert.body).toEqual({
      snippet: { title: 'Lecture 5', description: 'About logs', categoryId: '27' },
      status: { privacyStatus: 'unlisted', selfDeclaredMadeForKids: false },
    })
    expect(request.captions).toBeUndefined()
  })

  it('schedules as private until publish_at, saying so, and warns of a time already past', () => {
    const later = youtubeRequest(youtube({ privacy: 'public', publish_at: '2026-03-02T18:00:00+01:00' }), rendered, files, NOW)
    expect(later.request.insert.body.status).toMatchObject({ privacyStatus: 'private', publishAt: '2026-03-02T17:00:00.000Z' })
    expect(later.warnings).toEqual(['scheduled for 2026-03-02T17:00:00.000Z: uploaded private until then (privacy public is not used)'])
    const past = youtubeRequest(youtube({ privacy: 'private', publish_at: '2026-02-01T00:00:00Z' }), rendered, files, NOW)
    expect(past.warnings).toEqual([expect.stringMatching(/has passed: YouTube publishes the video as soon as it is processed/)])
  })

  it('+Nd HH:MM schedules N days after the upload day at that wall-clock time in the user’s time zone', () => {
    // 2026-03-01T00:00Z is still 28 February in New York (UTC-5): +1d 18:00 is 1 March 18:00 there.
    const ny = youtubeRequest(youtube({ publish_at: '+1d 18:00' }), rendered, files, NOW, 'America/New_York')
    expect(ny.request.insert.body.status).toMatchObject({ privacyStatus: 'private', publishAt: '2026-03-01T23:00:00.000Z' })
    // Berlin on the day summer time starts (29 March 2026, 02:00 -> 03:00): 18:00 there is 16:00Z, not 17:00Z.
    const berlin = resolvePublishAt('+1d 18:00', new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin')
    expect(berlin.toISOString()).toBe('2026-03-29T16:00:00.000Z')
    expect(resolvePublishAt('+0d 09:30', new Date('2026-03-01T05:00:00Z'), 'UTC').toISOString()).toBe('2026-03-01T09:30:00.000Z')
    const tooSoon = youtubeRequest(youtube({ publish_at: '+0d 00:00' }), rendered, files, new Date('2026-03-01T12:00:00Z'), 'UTC')
    expect(tooSoon.warnings).toContainEqual(expect.stringMatching(/2026-03-01T00:00:00.000Z has passed/))
  })

  it('applies the limits itself: title ≤ 100 without < >, description ≤ 5000 bytes, tags ≤ 500', () => {
    const long = { title: `<b>${'x'.repeat(150)}`, description: 'é'.repeat(3000), tags: Array.from({ length: 60 }, (_, i) => `tag number ${i}`) }
    const { request, warnings } = youtubeRequest(youtube(), long, {}, NOW)
    const { snippet } = request.insert.body
    expect([...snippet.title].length).toBe(100)
    expect(snippet.title).not.toMatch(/[<>]/)
    expect(Buffer.byteLength(snippet.description)).toBeLessThanOrEqual(5000)
    expect(snippet.tags!.map((t) => t.length + 2).reduce((a, b) => a + b, 0) + snippet.tags!.length - 1).toBeLessThanOrEqual(500)
    expect(warnings.some((w) => w.startsWith('title cut to 100'))).toBe(true)
  })

  it('defaultAudioLanguage is the transcript’s language when that is a code, else absent', () => {
    expect(youtubeRequest(youtube(), rendered, { spokenLanguage: 'pt-BR' }, NOW).request.insert.body.snippet.defaultAudioLanguage).toBe('pt-BR')
    expect(youtubeRequest(youtube(), rendered, { spokenLanguage: 'german' }, NOW).request.insert.body.snippet).not.toHaveProperty('defaultAudioLanguage')
    expect(youtubeRequest(youtube(), rendered, {}, NOW).request.insert.body.snippet).not.toHaveProperty('defaultAudioLanguage')
  })

  it('captions language: the preset’s, else the transcript’s code, else default_language; a language name is no code', () => {
    expect(youtubeRequest(youtube({ captions_language: 'fr' }), rendered, files, NOW).request.captions?.language).toBe('fr')
    const named = { subtitles: { file: '/m/sub.srt', language: 'german' } }
    expect(youtubeRequest(youtube({ default_language: 'de' }), rendered, named, NOW).request.captions).toMatchObject({ language: 'de', name: 'German' })
    const none = youtubeRequest(youtube(), rendered, named, NOW)
    expect(none.request.captions).toBeUndefined()
    expect(none.warnings).toEqual(['the transcript\'s language "german" is not a language code: captions left out (set captions_language on the preset)'])
    expect(youtubeRequest(youtube({ captions: false }), rendered, files, NOW).request.captions).toBeUndefined()
  })

  it('a thumbnail file keeps its type; poster without a poster frame is left out with a warning', () => {
    expect(youtubeRequest(youtube({ thumbnail: '/img/t.PNG' }), rendered, {}, NOW).request.thumbnail).toEqual({ file: '/img/t.PNG', contentType: 'image/png' })
    const r = youtubeRequest(youtube({ thumbnail: 'poster' }), rendered, {}, NOW)
    expect(r.request.thumbnail).toBeUndefined()
    expect(r.warnings).toContain('no poster frame yet (the video is not processed): thumbnail left out')
  })
})

describe('vkRequest', () => {
  it('sends video.save form fields: names for privacy, 0/1 for flags, the album in video.save', () => {
    const meta = vk({ privacy_view: 1, privacy_comment: 'only_me', album_id: 7, no_comments: true, repeat: false, wallpost: true, thumbnail: '/img/p.jpg' })
    const { request, warnings } = vkRequest(meta, { ...rendered, tags: [] }, files)
    expect(warnings).toEqual([])
    expect(request).toEqual({
      platform: 'vk',
      save: { name: 'Lecture 5', description: 'About logs', album_id: '7', privacy_view: 'friends', privacy_comment: 'only_me', no_comments: '1', repeat: '0', wallpost: '1' },
      thumbnail: { file: '/img/p.jpg', contentType: 'image/jpeg' },
    })
  })

  it('a community upload carries group_id and no privacy (warned when one was asked for); tags are dropped with a warning', () => {
    const { request, warnings } = vkRequest(vk({ group_id: 42, privacy_view: 'friends' }), rendered, files)
    expect(request.save).toEqual({ name: 'Lecture 5', description: 'About logs', group_id: '42' })
    expect(warnings).toEqual(['VK videos have no tags: 2 tags left out', 'privacy_view applies to videos on your own page only: left out for community 42'])
  })

  it('cuts the title to 128 characters', () => {
    const { request, warnings } = vkRequest(vk(), { title: 'y'.repeat(200), description: '', tags: [] }, {})
    expect(request.save.name).toHaveLength(128)
    expect(warnings).toEqual(['title cut to 128 characters (VK limit)'])
  })
})

describe('preset fields', () => {
  it('refuses a publish_at without an offset, a thumbnail that is no image, and an unknown license', () => {
    expect(() => youtube({ publish_at: '2026-03-02 18:00' })).toThrow(/publish_at: must be an ISO 8601 time with an offset/)
    for (const bad of ['+1d 24:00', '+1d 18:60', '+1 18:00', '+366d 18:00', 'tomorrow', '2026-02-30T18:00:00Z', '2026-03-02T24:00:00+01:00', '2026-03-02T18:61Z']) {
      expect(() => youtube({ publish_at: bad }), bad).toThrow(/publish_at: must be an ISO 8601 time with an offset .* or \+Nd HH:MM/)
    }
    expect(youtube({ publish_at: ' +2d 07:05 ' }).publish_at).toBe('+2d 07:05')
    expect(youtube({ publish_at: '2028-02-29T23:59:59.5-08:00' }).publish_at).toBe('2028-02-29T23:59:59.5-08:00')
    expect(() => youtube({ thumbnail: '/img/t.gif' })).toThrow(/thumbnail: must be a .jpg or .png file, or 'poster'/)
    expect(() => youtube({ license: 'cc' })).toThrow(/license/)
    expect(() => vk({ privacy_comment: 'nobody' })).toThrow(/privacy_comment/)
    expect(() => youtube({ playlist_id: 'https://www.youtube.com/playlist?list=PL1' })).toThrow(/playlist_id: must be a playlist id such as PL.*the part after 'list='/)
    expect(() => vk({ group_id: -77 })).toThrow(/group_id: must be the community's positive id \(its owner_id without the minus\)/)
  })

  it('keeps a preset stored before these fields valid, with the defaults', () => {
    expect(youtube({ privacy: 'private', thumbnail: '/img/t.jpg' })).toMatchObject({ captions: true, notify_subscribers: true, thumbnail: '/img/t.jpg' })
    expect(vk({ privacy_view: 'all' })).not.toHaveProperty('thumbnail')
  })
})

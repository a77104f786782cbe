import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { recordingDir } from '../../src/services/pipeline/recording-files.js'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

describe('daemon GET /recordings/{id}/files/{kind}', () => {
  it('streams each artefact with its content type; a missing one is a 404 problem saying why; kinds are a fixed list', async () => {
    const cat = await daemon.user('cat@example.com')
    const other = await daemon.user('other@example.com')
    const s = forUser(daemon.app.database.db, cat.id)
    const rec = await s.recordings.create({ display_name: 'Talk', start_time: '2026-06-01T10:00:00Z', original_file: '/elsewhere/talk.mkv' })
    const dir = recordingDir(daemon.app.env.mediaDir, cat.id, rec.id)
    fs.mkdirSync(dir, { recursive: true })
    const video = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256))
    fs.writeFileSync(path.join(dir, 'processed.mkv'), video)
    await s.recordings.update(rec.id, { processed_file: path.join(dir, 'processed.mkv') })
    fs.writeFileSync(path.join(dir, 'transcript.txt'), 'Hello, world.\n')
    fs.writeFileSync(path.join(dir, 'subtitles.srt'), '1\n00:00:00,000 --> 00:00:01,000\nHello\n')
    fs.writeFileSync(path.join(dir, 'chapters.vtt'), 'WEBVTT\n\n00:00.000 --> 00:10.000\nIntro\n')

    const cases: Array<[string, RegExp, string | Buffer]> = [
      ['transcript', /^text\/plain/, 'Hello, world.\n'],
      ['srt', /^application\/x-subrip/, '1\n00:00:00,000 --> 00:00:01,000\nHello\n'],
      ['topics', /^text\/vtt/, 'WEBVTT\n\n00:00.000 --> 00:10.000\nIntro\n'],
      ['video', /^video\/x-matroska$/, video],
    ]
    for (const [kind, type, content] of cases) {
      const res = await daemon.fetch(`/api/v1/recordings/${rec.id}/files/${kind}`, { token: cat.token })
      expect(res.status, kind).toBe(200)
      expect(res.headers.get('content-type'), kind).toMatch(type)
      expect(res.headers.get('content-disposition'), kind).toMatch(new RegExp(`^attachment; filename="rec_${rec.id}_${kind}\\.`))
      const got = Buffer.from(await res.arrayBuffer())
      expect(got.equals(Buffer.from(content)), kind).toBe(true)
    }

    // vtt was never made: 404 problem naming the stage.
    await s.stages.create({ recording_id: rec.id, stage_type: 'GENERATE_SUBTITLES', status: 'SKIPPED' })
    const missing = await daemon.fetch(`/api/v1/recordings/${rec.id}/files/vtt`, { token: cat.token })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/)
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/no WebVTT subtitles: GENERATE_SUBTITLES was skipped/)

    // A processed_file pointing outside the recording's folder is never served.
    await s.recordings.update(rec.id, { processed_file: '/etc/passwd' })
    expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/video`, { token: cat.token })).status).toBe(404)

    for (const kind of ['../../etc/passwd', 'original', 'transcript.txt', '%2e%2e%2fsecret']) {
      expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/${kind}`, { token: cat.token })).status, kind).toBeGreaterThanOrEqual(400)
      expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/${kind}`, { token: cat.token })).status, kind).toBeLessThan(500)
    }
    expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/original`, { token: cat.token })).status).toBe(400)
    const stolen = await daemon.fetch(`/api/v1/recordings/${rec.id}/files/transcript`, { token: other.token })
    expect(stolen.status).toBe(404)
    expect(await stolen.text()).not.toContain('Hello, world')
    expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/transcript`)).status).toBe(401)
  })
})

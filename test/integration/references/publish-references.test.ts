import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

let home: string
let app: App
let clip: string
let outDir: string

beforeAll(async () => {
  home = makeTempDir()
  outDir = path.join(home, 'published')
  clip = makeClip(await systemOrBundledTools(), path.join(home, 'lecture.mp4'), { durationS: 6, tones: [{ start: 1, end: 5 }] })
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
}, 60_000)

afterAll(async () => {
  await app?.close()
  removeDir(home)
})

async function seed(name: string) {
  const scope = forUser(app.database.db, app.localUser.id)
  const preset = await (await app.service('presets')).create(app.localUser, {
    name: `Folder ${name}`,
    platform: 'local',
    preset_metadata: { destination: outDir, name_template: '{display_name}' },
  })
  const template = await (await app.service('templates')).create(app.localUser, {
    name: `T ${name}`,
    matching_rules: { exact_matches: [name] },
    output_config: { preset_ids: [preset.id] },
  })
  const rec = await scope.recordings.create({
    display_name: name,
    start_time: '2026-03-02T09:00:00Z',
    duration: 6,
    status: 'INITIALIZED',
    original_file: clip,
    size_bytes: fs.statSync(clip).size,
    template_id: template.id,
    is_mapped: true,
  })
  return { scope, rec, preset, template }
}

describe('publishing with references that are gone', () => {
  it('a matched template whose preset is gone fails the recording at UPLOAD with that reason, never READY', async () => {
    const { scope, rec, preset, template } = await seed('Preset gone')
    await scope.presets.remove(preset.id) // as a forced removal from an older version left it

    const error = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id }).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain(`preset ${preset.id} named by template ${template.id} no longer exists`)

    const stored = (await scope.recordings.get(rec.id))!
    expect(stored.status).not.toBe('READY')
    expect(stored.failed).toBe(true)
    expect(stored.failed_stage).toBe('UPLOAD')
    expect(stored.failed_reason).toContain(`preset ${preset.id} named by template ${template.id} no longer exists`)
    expect(fs.existsSync(path.join(outDir, 'Preset gone.mp4'))).toBe(false)

    // The hint's way out: the template given a preset that exists, the next `recflow run` publishes it.
    const preset2 = await (await app.service('presets')).create(app.localUser, { name: 'Folder again 1', platform: 'local', preset_metadata: { destination: outDir, name_template: '{display_name}' } })
    await (await app.service('templates')).update(app.localUser, template.id, { output_config: { preset_ids: [preset2.id] } })
    const retried = (await (await app.service('run')).run(app.localUser, {})).recordings.find((o) => o.recordingId === rec.id)
    expect(retried).toMatchObject({ state: 'succeeded', result: { status: 'READY', targets: [{ status: 'UPLOADED' }] } })
    expect(fs.existsSync(path.join(outDir, 'Preset gone.mp4'))).toBe(true)
  })

  it('removing the template while its recording is processed does not end it READY with nothing published', async () => {
    const { scope, rec, template } = await seed('Template gone')
    let removal: Promise<unknown> | undefined
    const templates = await app.service('templates')
    const error = await (await app.service('pipeline'))
      .run(app.localUser, { recordingId: rec.id }, {
        onEvent: (e) => {
          if (e.type === 'stage-started' && e.stage === 'PROCESS' && !removal) removal = templates.remove(app.localUser, template.id)
        },
      })
      .catch((e: Error) => e)
    await removal
    expect(removal).toBeDefined()
    expect((error as Error).message).toContain(`template ${template.id} was removed while the recording was processed`)

    const stored = (await scope.recordings.get(rec.id))!
    expect(stored.status).not.toBe('READY')
    expect(stored.failed).toBe(true)
    expect(stored.failed_stage).toBe('UPLOAD')
    expect(stored.failed_reason).toContain('nothing published')

    // The next `recflow run` retries the failed publication: with no template it still publishes nothing, and stays
    // FAILED at UPLOAD (it was READY with nothing published before).
    const run = await app.service('run')
    const retried = (await run.run(app.localUser, {})).recordings.find((o) => o.recordingId === rec.id)
    expect(retried).toMatchObject({ state: 'failed', error: { message: expect.stringContaining(`recording ${rec.id} has no template (nor upload.preset_ids): nothing published`) } })
    const hint = retried!.error!.hint!
    expect(hint).toContain(`recflow recordings reset ${rec.id}`)
    expect(await scope.recordings.get(rec.id)).toMatchObject({ status: expect.not.stringMatching(/^READY$/), failed: true, failed_stage: 'UPLOAD' })

    // What the hint says works: reset, a template takes it, the next run publishes it.
    await (await app.service('recordings')).reset(app.localUser, rec.id)
    const preset = await (await app.service('presets')).create(app.localUser, { name: 'Folder again', platform: 'local', preset_metadata: { destination: outDir, name_template: '{display_name}' } })
    const again = await templates.create(app.localUser, { name: 'T again', matching_rules: { exact_matches: ['Template gone'] }, output_config: { preset_ids: [preset.id] } }, { rematch: true })
    expect(await scope.recordings.get(rec.id)).toMatchObject({ template_id: again.id, status: 'INITIALIZED' })
    const published = await run.run(app.localUser, { recordingIds: [rec.id] })
    expect(published.recordings).toMatchObject([{ state: 'succeeded', result: { status: 'READY', targets: [{ status: 'UPLOADED' }] } }])
  })
})

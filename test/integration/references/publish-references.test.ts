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
  })
})

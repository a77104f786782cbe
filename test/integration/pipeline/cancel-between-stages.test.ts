import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'
import type { PipelineStage, RecflowEvent } from '../../../src/domain/events.js'
import { initialProgressState, reduce } from '../../../src/ui/progress-state.js'
import { summarize } from '../../../src/ui/progress-summary.js'
import { makeClip, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { useTestApp } from '../../support/test-app.js'

// A cancel (Ctrl-C, or `tasks cancel` from another terminal) can land between two stages or just before the
// upload; the run must still show and count the recording as cancelled, never as "unfinished" or failed.
const t = useTestApp()
let clip: string

beforeAll(async () => {
  clip = makeClip(await systemOrBundledTools(), path.join(t.home, 'lecture.mp4'), { durationS: 12, tones: [{ start: 3, end: 9 }] })
}, 60_000)

async function seed(name: string) {
  const preset = await (await t.app.service('presets')).create(t.app.localUser, {
    name: `Folder ${name}`,
    platform: 'local',
    preset_metadata: { destination: path.join(t.home, 'published') },
  })
  const template = await (await t.app.service('templates')).create(t.app.localUser, {
    name: `T ${name}`,
    matching_rules: { exact_matches: [name] },
    output_config: { preset_ids: [preset.id] },
  })
  return forUser(t.app.database.db, t.app.localUser.id).recordings.create({
    display_name: name,
    start_time: '2026-03-02T09:00:00Z',
    duration: 12,
    status: 'INITIALIZED',
    original_file: clip,
    size_bytes: fs.statSync(clip).size,
    template_id: template.id,
    is_mapped: true,
  })
}

async function runAndCancelAfter(recordingId: number, afterStage: PipelineStage) {
  const controller = new AbortController()
  const events: RecflowEvent[] = []
  const pipeline = await t.app.service('pipeline')
  const run = pipeline.run(t.app.localUser, { recordingId }, {
    signal: controller.signal,
    onEvent: (e) => {
      events.push(e)
      if (e.type === 'stage-finished' && e.stage === afterStage) controller.abort()
    },
  })
  await expect(run).rejects.toMatchObject({ code: 'cancelled' })
  let state = initialProgressState()
  for (const e of events) state = reduce(state, e, 0)
  return { events, summary: summarize(state) }
}

describe('a cancel that lands between stages', () => {
  it('is shown on the stage it stopped and counted as cancelled', async () => {
    const rec = await seed('Between stages')
    const { events, summary } = await runAndCancelAfter(rec.id, 'PROCESS')
    expect(events.filter((e) => e.type === 'stage-cancelled')).toEqual([{ type: 'stage-cancelled', recordingId: rec.id, stage: 'TRANSCRIBE' }])
    expect(summary).toMatch(/1 recording: 1 cancelled/)
  })

  it('is counted as cancelled when it lands just before the upload', async () => {
    const rec = await seed('Before upload')
    const { events, summary } = await runAndCancelAfter(rec.id, 'GENERATE_SUBTITLES')
    expect(events.filter((e) => e.type === 'stage-cancelled')).toEqual([{ type: 'stage-cancelled', recordingId: rec.id, stage: 'UPLOAD' }])
    expect(summary).toMatch(/1 recording: 1 cancelled/)
    expect(summary).not.toMatch(/unfinished|failed/)
  })
})

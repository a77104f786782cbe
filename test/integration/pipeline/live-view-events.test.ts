import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RecflowEvent } from '../../../src/domain/events.js'
import type { RunInput } from '../../../src/services/run.js'
import { emptyPrinted, formatEventLine } from '../../../src/ui/plain-lines.js'
import { initialProgressState, PIPELINE_STAGES, reduce } from '../../../src/ui/progress-state.js'
import { summarize } from '../../../src/ui/progress-summary.js'
import { makeClip, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { markStagesDone, randomMedia, readyToPublish } from '../../support/publish-ready.js'
import { useTestApp } from '../../support/test-app.js'

/*
 * Issue 7 item 8, from the producing side: what a real `recflow run` emits is what the live view needs. The view's
 * own tests (test/unit/ui/live-view.test.tsx) feed it hand-made events; these check the run makes them.
 */

const t = useTestApp()

/** The plain (non-TTY) lines the events make, and the summary line. */
function view(events: RecflowEvent[]): { lines: string[]; summary: string } {
  let state = initialProgressState({ plannedStages: PIPELINE_STAGES })
  let printed = emptyPrinted()
  const lines: string[] = []
  for (const e of events) {
    state = reduce(state, e, 0)
    const out = formatEventLine(e, { state, printed })
    printed = out.printed
    if (out.line) lines.push(out.line)
  }
  return { lines, summary: summarize(state) }
}

async function runCollecting(input: RunInput) {
  const events: RecflowEvent[] = []
  const result = await (await t.app.service('run')).run(t.app.localUser, input, { onEvent: (e) => events.push(e) })
  return { result, events }
}

describe('the events of a run, as the live view shows them', () => {
  it('"added" for a recording its sync created, "queued" for one that was waiting; every row before any stage', async () => {
    const inbox = path.join(t.home, 'inbox')
    fs.mkdirSync(inbox)
    const tools = await systemOrBundledTools()
    makeClip(tools, path.join(inbox, 'Talk one.mp4'), { durationS: 2, tones: [{ start: 0.5, end: 1.5 }] })
    const source = await (await t.app.service('sources')).create(t.app.localUser, { name: 'inbox', platform: 'local', config: { path: inbox } })
    await (await t.app.service('templates')).create(t.app.localUser, { name: 'Talks', matching_rules: { keywords: ['Talk'] } })

    // The first run's sync finds "Talk one": new. It stops after DOWNLOAD, so the recording waits for the next run.
    const first = await runCollecting({ sourceIds: [source.id], stopAfter: 'DOWNLOAD' })
    expect(first.result.recordings).toHaveLength(1)
    const one = first.result.recordings[0]!.recordingId
    expect(view(first.events).lines).toContain(`#${one} Talk one: added (INITIALIZED)`)

    makeClip(tools, path.join(inbox, 'Talk two.mp4'), { durationS: 2, tones: [{ start: 0.5, end: 1.5 }] })
    const second = await runCollecting({ sourceIds: [source.id], stopAfter: 'DOWNLOAD' })
    const two = second.result.recordings.map((r) => r.recordingId).find((id) => id !== one)!
    const { lines } = view(second.events)
    expect(lines.filter((l) => / (added|queued) \(/.test(l))).toEqual([`#${one} Talk one: queued (DOWNLOADED)`, `#${two} Talk two: added (INITIALIZED)`])
    // Both rows are there (queued) before a worker starts the first stage.
    const firstStage = second.events.findIndex((e) => e.type === 'stage-started')
    const rows = second.events.flatMap((e, i) => (e.type === 'recording' && i < firstStage ? [e.recordingId] : []))
    expect(new Set(rows)).toEqual(new Set([one, two]))
  }, 60_000)

  it('"already done" for a recording an earlier run finished and published, never "unfinished"', async () => {
    const out = path.join(t.home, 'out')
    const media = randomMedia(path.join(t.home, 'done.mp4'), 2048)
    const preset = await (await t.app.service('presets')).create(t.app.localUser, { name: 'Folder', platform: 'local', preset_metadata: { destination: out } })
    const { scope, recordingId } = await readyToPublish(t.app, { name: 'Done before', mediaFile: media.file, presetIds: [preset.id] })
    await markStagesDone(scope, recordingId, media.file)

    const first = await runCollecting({ recordingIds: [recordingId] })
    expect(first.result.recordings[0]).toMatchObject({ state: 'succeeded' })
    expect(view(first.events).summary).toMatch(/^1 recording: 1 done/)

    const again = await runCollecting({ recordingIds: [recordingId] })
    expect(again.result.recordings[0]).toMatchObject({ state: 'succeeded' })
    const { summary } = view(again.events)
    expect(summary).toMatch(/^1 recording: 1 already done/)
    expect(summary).not.toContain('unfinished')
  })

  it('a recording whose pipeline fails outside any stage is counted failed with the reason, not "not started"', async () => {
    const media = randomMedia(path.join(t.home, 'broken.mp4'), 1024)
    const { scope, recordingId } = await readyToPublish(t.app, { name: 'Broken settings', mediaFile: media.file, presetIds: [] })
    await scope.configs.set({ processing: { padding_before: -3 } } as never)
    try {
      const { result, events } = await runCollecting({ recordingIds: [recordingId] })
      expect(result.recordings[0]).toMatchObject({ state: 'failed' })
      const { lines, summary } = view(events)
      expect(summary).toMatch(/^1 recording: 1 failed/)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^#${recordingId} Broken settings: failed - invalid user config: processing\\.padding_before.*\\(hint: .*config unset`)))
    } finally {
      await scope.configs.set({})
    }
  })
})

import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser, type UserScope } from '../../../src/db/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { folderPublisher } from '../../../src/providers/local/folder-publisher.js'
import type { PublishInput } from '../../../src/providers/types.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { mountSmallDisk } from '../../support/small-disk.js'

/*
 * Data safety of the folder publisher (issue 7, item 1): one file per target, never a write through a planted
 * link, and a failed publication that fails the task and the run instead of hiding behind "succeeded".
 */

let home: string
let app: App
let scope: UserScope
let seq = 0

beforeAll(async () => {
  home = makeTempDir()
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
  scope = forUser(app.database.db, app.localUser.id)
}, 60_000)

afterAll(async () => {
  await app?.close()
  removeDir(home)
})

/** A recording with a folder target, and a `reserve` backed by the real output_targets row. */
async function target(destination: string) {
  seq++
  const preset = await (await app.service('presets')).create(app.localUser, {
    name: `Folder ${seq}`,
    platform: 'local',
    preset_metadata: { destination },
  })
  const rec = await scope.recordings.create({
    display_name: `Lecture ${seq}`,
    start_time: '2026-03-02T09:00:00Z',
    status: 'INITIALIZED',
    original_file: path.join(home, 'nothing.mp4'),
  })
  const { target: row } = await scope.targets.ensure({ recording_id: rec.id, preset_id: preset.id, target_type: 'local' })
  return { id: row.id, reserve: (p: string | null) => scope.targets.reservePath(row.id, p) }
}

function source(name: string, bytes: string | Buffer): string {
  const file = path.join(home, name)
  fs.writeFileSync(file, bytes)
  return file
}

const input = (mediaFile: string, extra: Partial<PublishInput> = {}): PublishInput => ({
  mediaFile,
  sidecars: [],
  baseName: 'Same Name',
  metadata: { title: 't', description: '', tags: [] },
  ...extra,
})

const visible = (dir: string) => fs.readdirSync(dir).sort()

describe('one published file per target', () => {
  it('gives two targets whose names render the same, published at once, a file each with its own bytes', async () => {
    const dest = path.join(home, 'concurrent')
    const [a, b] = [await target(dest), await target(dest)]
    const big = (c: string) => Buffer.alloc(3 * 1024 * 1024, c)
    const [ra, rb] = await Promise.all([
      folderPublisher(dest).publish(input(source('a.mp4', big('a'))), { reserve: a.reserve }),
      folderPublisher(dest).publish(input(source('b.mp4', big('b'))), { reserve: b.reserve }),
    ])
    expect(ra.id).not.toBe(rb.id)
    expect(fs.readFileSync(ra.id).equals(big('a'))).toBe(true)
    expect(fs.readFileSync(rb.id).equals(big('b'))).toBe(true)
    expect(visible(dest)).toEqual(['Same Name (2).json', 'Same Name (2).mp4', 'Same Name.json', 'Same Name.mp4'])
  })

  it('never lets a retry take over a path another target holds now', async () => {
    const dest = path.join(home, 'retry')
    const [a, b] = [await target(dest), await target(dest)]
    const first = await folderPublisher(dest).publish(input(source('b1.mp4', 'bytes of b')), { reserve: b.reserve })
    // A believes it planned that same path in an earlier attempt (e.g. before it crashed).
    const retried = await folderPublisher(dest).publish(input(source('a1.mp4', 'bytes of a'), { previous: { path: first.id } }), { reserve: a.reserve })
    expect(retried.id).toBe(path.join(dest, 'Same Name (2).mp4'))
    expect(fs.readFileSync(first.id, 'utf8')).toBe('bytes of b')
    expect(fs.readFileSync(retried.id, 'utf8')).toBe('bytes of a')
  })

  it('replaces its own earlier copy on a retry, and no file it does not own', async () => {
    const dest = path.join(home, 'own')
    const a = await target(dest)
    const first = await folderPublisher(dest).publish(input(source('o1.mp4', 'old')), { reserve: a.reserve })
    const again = await folderPublisher(dest).publish(input(source('o2.mp4', 'new'), { previous: { path: first.id } }), { reserve: a.reserve })
    expect(again.id).toBe(first.id)
    expect(fs.readFileSync(again.id, 'utf8')).toBe('new')
    expect(visible(dest)).toEqual(['Same Name.json', 'Same Name.mp4'])
  })

  it('keeps a file that was already in the folder under the wanted name', async () => {
    const dest = path.join(home, 'taken')
    fs.mkdirSync(dest)
    fs.writeFileSync(path.join(dest, 'Same Name.json'), 'the user\'s own notes')
    const a = await target(dest)
    const result = await folderPublisher(dest).publish(input(source('t.mp4', 'media')), { reserve: a.reserve })
    expect(result.id).toBe(path.join(dest, 'Same Name (2).mp4'))
    expect(fs.readFileSync(path.join(dest, 'Same Name.json'), 'utf8')).toBe('the user\'s own notes')
    expect(fs.existsSync(path.join(dest, 'Same Name.mp4'))).toBe(false)
  })
})

describe('links planted in the destination', () => {
  it('writes nothing through a planted *.part link or a dangling link at the final name', async () => {
    const dest = path.join(home, 'planted')
    fs.mkdirSync(dest)
    const victim = source('victim.txt', 'precious')
    const elsewhere = path.join(home, 'created-elsewhere.mp4')
    fs.symlinkSync(victim, path.join(dest, 'Same Name.mp4.part'))
    fs.symlinkSync(victim, path.join(dest, 'Same Name.json.part'))
    fs.symlinkSync(elsewhere, path.join(dest, 'Same Name.mp4'))
    const a = await target(dest)
    const result = await folderPublisher(dest).publish(input(source('p.mp4', 'media bytes')), { reserve: a.reserve })
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious')
    expect(fs.existsSync(elsewhere)).toBe(false)
    expect(fs.lstatSync(path.join(dest, 'Same Name.mp4')).isSymbolicLink()).toBe(true)
    expect(result.id).toBe(path.join(dest, 'Same Name (2).mp4'))
    expect(fs.lstatSync(result.id).isFile()).toBe(true)
    // The staging folder is gone; nothing else was left behind.
    expect(visible(dest).filter((n) => n.startsWith('.recflow'))).toEqual([])
  })
})

describe('a publication killed half-way', () => {
  it('has its partial copy removed by the next publication into that folder', async () => {
    const dest = path.join(home, 'killed')
    const { pid } = spawnSync(process.execPath, ['-e', '0']) // a recflow that no longer exists
    const host = os.hostname().replace(/[^A-Za-z0-9.]/g, '_')
    const abandoned = path.join(dest, `.recflow-publish-${host}-${pid}-Ab12Cd`)
    const live = path.join(dest, `.recflow-publish-${host}-${process.pid}-Ef34Gh`)
    fs.mkdirSync(abandoned, { recursive: true })
    fs.mkdirSync(live)
    fs.writeFileSync(path.join(abandoned, '0.mp4'), 'half a lecture')
    const a = await target(dest)
    await folderPublisher(dest).publish(input(source('k.mp4', 'media')), { reserve: a.reserve })
    expect(fs.existsSync(abandoned)).toBe(false)
    expect(fs.existsSync(live)).toBe(true) // a running publisher's staging is left alone
  })
})

describe('a publication that cannot be written', () => {
  it('names the path, leaves no partial file and no staging folder (ENOSPC on a 1 MiB tmpfs)', async (ctx) => {
    const dest = path.join(home, 'tiny')
    const unmount = mountSmallDisk(dest, '1m', ctx)
    if (!unmount) return
    try {
      const a = await target(dest)
      const err = await folderPublisher(dest).publish(input(source('huge.mp4', Buffer.alloc(2 * 1024 * 1024, 1))), { reserve: a.reserve }).then(
        () => undefined,
        (e: unknown) => e as Error & { kind: string },
      )
      expect(err?.message).toMatch(/no space left on device \(ENOSPC\)/)
      expect(err?.message).toContain(dest)
      expect(err?.kind).toBe('permanent')
      expect(fs.readdirSync(dest)).toEqual([])
    } finally {
      unmount()
    }
  })
})

describe('a failed target in a run', () => {
  it('fails the task and the run, and the next run publishes it once the folder is fixed', async () => {
    const tools = await systemOrBundledTools()
    const clip = makeClip(tools, path.join(home, 'clip.mp4'), { durationS: 4, tones: [{ start: 1, end: 3 }] })
    const blocked = path.join(home, 'blocked')
    fs.writeFileSync(blocked, 'a file where the folder should be')
    const preset = await (await app.service('presets')).create(app.localUser, {
      name: 'Blocked folder',
      platform: 'local',
      preset_metadata: { destination: blocked },
    })
    const template = await (await app.service('templates')).create(app.localUser, {
      name: 'Blocked',
      matching_rules: { exact_matches: ['Blocked lecture'] },
      // Trimming is not the point here: the original is published as is.
      processing_config: { processing: { enabled: false } },
      output_config: { preset_ids: [preset.id] },
    })
    const rec = await scope.recordings.create({
      display_name: 'Blocked lecture',
      start_time: '2026-03-03T09:00:00Z',
      duration: 4,
      status: 'INITIALIZED',
      original_file: clip,
      size_bytes: fs.statSync(clip).size,
      template_id: template.id,
      is_mapped: true,
    })

    const first = await (await app.service('run')).run(app.localUser, {})
    const outcome = first.recordings.find((o) => o.recordingId === rec.id)
    expect(outcome).toMatchObject({ state: 'failed', error: { code: 'internal' } })
    expect(outcome?.error?.message).toContain(blocked)
    expect(outcome?.error?.hint).toMatch(/recflow presets edit \d+ --destination/)
    expect((await scope.tasks.get(outcome!.taskId!))?.state).toBe('failed')
    expect(await scope.recordings.get(rec.id)).toMatchObject({ failed: true, failed_stage: 'UPLOAD' })

    fs.rmSync(blocked)
    const second = await (await app.service('run')).run(app.localUser, {})
    expect(second.recordings.find((o) => o.recordingId === rec.id)).toMatchObject({ state: 'succeeded' })
    expect(await scope.recordings.get(rec.id)).toMatchObject({ failed: false, status: 'READY' })
    expect(fs.readdirSync(blocked).filter((n) => n.endsWith('.mp4'))).toHaveLength(1)
  }, 60_000)
})

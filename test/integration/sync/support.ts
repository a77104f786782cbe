import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createApp, type App } from '../../../src/app.js'
import { forUser, type UserScope } from '../../../src/db/index.js'
import type { MediaTools } from '../../../src/media/types.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { ffmpegSync, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { cachedMediaDir, mediaCacheKey, sourceOf } from '../../support/media-cache.js'

/** Small real media, made once with ffmpeg (lavfi), copied into each test file's folder and each test's. */
export interface Stock {
  dir: string
  /** 2 s testsrc2 + sine, H.264/AAC. */
  mp4: string
  /** 2 s sine, AAC in MP4 audio. */
  m4a: string
  /** 4 s sine, AAC: the "same file, re-recorded longer". */
  m4aLong: string
  /** 2 s sine, PCM. */
  wav: string
  /** 2 s testsrc2, no audio stream. */
  silentMp4: string
  /** 2 s mp4 whose container says it was recorded at 2024-05-01T10:00:00Z. */
  taggedMp4: string
}

export async function makeStock(): Promise<Stock> {
  const tools: MediaTools = await systemOrBundledTools()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
  // Made once (test media cache: three files use the stock) and copied into this file's own folder.
  const cached = cachedMediaDir(mediaCacheKey('makeStock', tools.ffmpeg.path, sourceOf(fileURLToPath(import.meta.url))), (out) => encodeStock(tools, out))
  fs.cpSync(cached, dir, { recursive: true })
  const out = (name: string) => path.join(dir, name)
  return {
    dir,
    mp4: out('clip.mp4'),
    m4a: out('tone.m4a'),
    m4aLong: out('tone-long.m4a'),
    wav: out('tone.wav'),
    silentMp4: out('silent.mp4'),
    taggedMp4: out('tagged.mp4'),
  }
}

function encodeStock(tools: MediaTools, dir: string): void {
  const video = ['-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=25:d=2']
  const sine = (d: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:d=${d}`]
  const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']
  const out = (name: string) => path.join(dir, name)
  ffmpegSync(tools, [...video, ...sine(2), ...h264, '-c:a', 'aac', '-t', '2', out('clip.mp4')])
  ffmpegSync(tools, [...sine(2), '-c:a', 'aac', out('tone.m4a')])
  ffmpegSync(tools, [...sine(4), '-c:a', 'aac', out('tone-long.m4a')])
  ffmpegSync(tools, [...sine(2), '-c:a', 'pcm_s16le', out('tone.wav')])
  ffmpegSync(tools, [...video, ...h264, '-t', '2', out('silent.mp4')])
  ffmpegSync(tools, [...video, ...sine(2), ...h264, '-c:a', 'aac', '-t', '2', '-metadata', 'creation_time=2024-05-01T10:00:00Z', out('tagged.mp4')])
}

/** Copies a stock file to `dir/relPath` (creating folders) and returns the new path. */
export function put(stockFile: string, dir: string, relPath: string): string {
  const target = path.join(dir, relPath)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.copyFileSync(stockFile, target)
  return target
}

export interface TestApp {
  app: App
  home: string
  /** A folder for the test's recordings. */
  media: string
  scope: UserScope
  user: App['localUser']
  events: RecflowEvent[]
  cleanup(): Promise<void>
}

/** The real app on a temp RECFLOW_HOME (real SQLite file, real ffprobe from PATH). */
export async function openTestApp(): Promise<TestApp> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
  const media = path.join(home, 'recordings')
  fs.mkdirSync(media)
  const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH ?? '', RECFLOW_SECRET_STORE: 'file' }), {
    logger: silentLogger,
  })
  return {
    app,
    home,
    media,
    scope: forUser(app.database.db, app.localUser.id),
    user: app.localUser,
    events: [],
    async cleanup() {
      await app.close()
      fs.rmSync(home, { recursive: true, force: true })
    },
  }
}

export async function addLocalSource(t: TestApp, name: string, config: Record<string, unknown> = {}) {
  return (await t.app.service('sources')).create(t.user, { name, platform: 'local', config: { path: t.media, ...config } })
}

/** Every file under a folder with its size and mtime: equal snapshots mean nothing was written there. */
export function folderSnapshot(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .sort()
    .map((rel) => {
      const st = fs.statSync(path.join(dir, rel))
      return `${JSON.stringify(rel)} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`
    })
}

/** Sets a file's mtime (and atime) to an ISO instant. */
export function setMtime(file: string, iso: string): void {
  const d = new Date(iso)
  fs.utimesSync(file, d, d)
}

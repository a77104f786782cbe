import fs from 'node:fs'
import { afterAll, beforeAll } from 'vitest'

/*
 * A setup file (vitest.config.ts adds it when RECFLOW_TEST_CPU_LOG names a file): appends one JSON line per test
 * file with the CPU seconds it cost, the worker's own plus its finished children's (ffmpeg, spawned CLIs), read
 * from /proc/self/stat. Less sensitive than wall time to what else the machine runs; for finding slow files.
 */

const log = process.env.RECFLOW_TEST_CPU_LOG
const TICK = 100 // USER_HZ on Linux

function cpuSeconds(): { self: number; children: number } {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 14-17 of proc(5) (utime stime cutime cstime), counted from field 3 after the command name.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number) as [number, number, number, number]
  return { self: (utime + stime) / TICK, children: (cutime + cstime) / TICK }
}

if (log) {
  let start: { self: number; children: number; at: number }
  beforeAll(() => {
    start = { ...cpuSeconds(), at: Date.now() }
  })
  afterAll(({}, suite) => {
    const end = cpuSeconds()
    const line = {
      file: (suite as { file?: { filepath?: string } } | undefined)?.file?.filepath,
      cpu: +(end.self - start.self + end.children - start.children).toFixed(2),
      self: +(end.self - start.self).toFixed(2),
      children: +(end.children - start.children).toFixed(2),
      wall: (Date.now() - start.at) / 1000,
    }
    fs.appendFileSync(log, JSON.stringify(line) + '\n')
  })
}

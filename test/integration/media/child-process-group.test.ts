import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../support/cli.js'
import { systemOrBundledTools } from '../../fixtures/media/generate.js'

/* ffmpeg dies with recflow (issue 7, item 9): it runs in its own process group, killed when recflow goes. */

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
const processGroupOf = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[2])

async function startParent(mode: 'wait' | 'exit') {
  const tools = await systemOrBundledTools()
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'ffmpeg-parent.ts'), tools.ffmpeg.path, mode], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const ffmpegPid = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /ffmpeg (\d+)/.exec(out)
      if (m) {
        clearInterval(timer)
        resolve(Number(m[1]))
      }
    }, 20)
    void exited.then(() => {
      clearInterval(timer)
      reject(new Error(`the parent exited early: ${err}`))
    })
  })
  return { child, exited, ffmpegPid }
}

async function gone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
  return !alive(pid)
}

describe.skipIf(process.platform !== 'linux')('the ffmpeg child', () => {
  it('leads its own process group, and is killed when its parent is terminated', async () => {
    const { child, exited, ffmpegPid } = await startParent('wait')
    try {
      expect(alive(ffmpegPid)).toBe(true)
      expect(processGroupOf(ffmpegPid)).toBe(ffmpegPid)
      child.kill('SIGTERM')
      expect(await exited).toMatchObject({ signal: 'SIGTERM' })
      expect(await gone(ffmpegPid)).toBe(true)
    } finally {
      if (alive(ffmpegPid)) process.kill(ffmpegPid, 'SIGKILL')
    }
  }, 30_000)

  it('is killed when its parent exits while it runs', async () => {
    const { exited, ffmpegPid } = await startParent('exit')
    try {
      expect(await exited).toMatchObject({ code: 0 })
      expect(await gone(ffmpegPid)).toBe(true)
    } finally {
      if (alive(ffmpegPid)) process.kill(ffmpegPid, 'SIGKILL')
    }
  }, 30_000)
})

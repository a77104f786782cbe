import { execFileSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { assertToolSucceeded, runFfmpeg, runFfprobe } from '../../../src/media/runner.js'
import type { FfmpegProgress, MediaTools } from '../../../src/media/types.js'
import { systemOrBundledTools } from '../../fixtures/media/generate.js'

let tools: MediaTools
beforeAll(async () => {
  tools = await systemOrBundledTools()
})

const sineToNull = (seconds: number, freq = 440) => ['-f', 'lavfi', '-i', `sine=f=${freq}:d=${seconds}`, '-f', 'null', '-']

function ffmpegProcessesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes('ps -eo'))
}

describe('runFfmpeg', () => {
  it('streams progress events that advance to 100 percent', async () => {
    const events: FfmpegProgress[] = []
    const result = await runFfmpeg(tools, sineToNull(20), { durationS: 20, onProgress: (p) => events.push(p) })
    expect(result.exitCode).toBe(0)
    const last = events[events.length - 1]
    expect(last).toMatchObject({ done: true, percent: 100 })
    expect(last?.outTimeS).toBeCloseTo(20, 1)
    const times = events.map((e) => e.outTimeS)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })

  it('kills ffmpeg and rejects with a cancelled error when the signal aborts', async () => {
    const marker = 'f=1234.5'
    const controller = new AbortController()
    const started = Date.now()
    // -re reads at real time: this would run for a minute.
    const run = runFfmpeg(tools, ['-re', '-f', 'lavfi', '-i', `sine=${marker}:d=60`, '-f', 'null', '-'], {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('user pressed Ctrl-C')),
    })
    const err = await run.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect((err as RecflowError).code).toBe('cancelled')
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(ffmpegProcessesWith(marker)).toEqual([])
  })

  it('does not start ffmpeg at all when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(runFfmpeg(tools, sineToNull(1), { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' })
  })

  it('returns the exit code and a bounded stderr tail, which assertToolSucceeded quotes', async () => {
    const result = await runFfmpeg(tools, ['-v', 'info', '-i', '/nonexistent/recflow-input.mp4', '-f', 'null', '-'], { stderrTailLines: 3 })
    expect(result.exitCode).not.toBe(0)
    expect(result.stderrTail.length).toBeLessThanOrEqual(3)
    expect(() => assertToolSucceeded(result, 'reading the input')).toThrow(/reading the input failed \(exit code \d+\): .*No such file or directory/)
  })

  it('stops ffmpeg and rethrows when a progress callback throws', async () => {
    const marker = 'f=2345.5'
    const run = runFfmpeg(tools, ['-re', '-f', 'lavfi', '-i', `sine=${marker}:d=60`, '-f', 'null', '-'], {
      onProgress: () => {
        throw new Error('presenter crashed')
      },
    })
    await expect(run).rejects.toThrow('presenter crashed')
    expect(ffmpegProcessesWith(marker)).toEqual([])
  })
})

describe('runFfprobe', () => {
  it('collects stdout, and refuses to buffer more than the limit', async () => {
    const ok = await runFfprobe(tools, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0'])
    expect(ok.stdout.trim()).toBe('audio')
    const big = runFfprobe(tools, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=30', '-show_packets', '-of', 'json'], { maxStdoutBytes: 10_000 })
    await expect(big).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/more than 10000 bytes/) })
  })
})

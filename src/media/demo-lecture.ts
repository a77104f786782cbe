import fs from 'node:fs/promises'
import path from 'node:path'
import { findOnPath } from './binaries.js'
import { writeViaPartFile } from './part-file.js'
import { assertToolSucceeded, runFfmpeg, runTool } from './runner.js'
import type { MediaTools } from './types.js'

/** What the demo lecture says, when espeak-ng can say it; otherwise each sentence is a tone of similar length. */
export const DEMO_SENTENCES = [
  'Good morning everyone, and welcome to the recflow demo lecture.',
  'Today we look at how a recording travels from a folder to the people who watch it.',
  'First the silence at the start and at the end is trimmed away.',
  'Then the recording is published with a title rendered from a preset.',
  'That is all for today. Thank you for listening.',
] as const

export const DEMO_LAYOUT = { leadS: 20, pauseS: 1.2, tailS: 15, toneS: 4 } as const

/**
 * The ffmpeg arguments that assemble the demo: testsrc2 video, and an audio track of silence, the spoken pieces
 * (or tones) with short pauses, and a silent tail. Pure: the caller provides the speech files and their lengths.
 */
export function demoLectureArgs(a: { speech: Array<{ file: string; durationS: number }> | null; output: string; size?: string }): string[] {
  const { leadS, pauseS, tailS, toneS } = DEMO_LAYOUT
  const pieces = a.speech ?? DEMO_SENTENCES.map(() => ({ file: '', durationS: toneS }))
  const total = leadS + pieces.reduce((s, p) => s + p.durationS + pauseS, 0) - pauseS + tailS
  // The picture changes once a second (a slide with a clock, not motion video): the 25 fps stream repeats each
  // frame, which libx264 codes as skips. A moving testsrc2 cost ~3× the CPU for nothing the demo shows.
  const inputs: string[] = ['-f', 'lavfi', '-i', `testsrc2=size=${a.size ?? '640x360'}:rate=1:d=${Math.ceil(total)},fps=25`]
  const chain: string[] = []
  const labels: string[] = []
  const silence = (d: number) => {
    const label = `s${labels.length}`
    chain.push(`aevalsrc=0:s=16000:d=${d.toFixed(3)}[${label}]`)
    labels.push(`[${label}]`)
  }
  silence(leadS)
  pieces.forEach((p, i) => {
    if (i > 0) silence(pauseS)
    const label = `p${i}`
    if (a.speech) {
      inputs.push('-i', p.file)
      chain.push(`[${inputs.filter((x) => x === '-i').length - 1}:a]aresample=16000,aformat=channel_layouts=mono[${label}]`)
    } else {
      chain.push(`aevalsrc='0.4*sin(2*PI*(300+${i * 60})*t)':s=16000:d=${p.durationS.toFixed(3)}[${label}]`)
    }
    labels.push(`[${label}]`)
  })
  silence(tailS)
  const graph = `${chain.join(';')};${labels.join('')}concat=n=${labels.length}:v=0:a=1[a]`
  return [
    '-y', ...inputs,
    '-filter_complex', graph,
    '-map', '0:v', '-map', '[a]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '50',
    '-c:a', 'aac', '-b:a', '96k', '-ac', '1',
    '-t', total.toFixed(3), '-movflags', '+faststart', '-f', 'mp4', a.output,
  ]
}

/**
 * Writes the demo lecture (about 75 s): spoken sentences when espeak-ng is on PATH, tones otherwise. Returns
 * whether it speaks, so the demo can say so.
 */
export async function makeDemoLecture(
  tools: MediaTools,
  opts: { output: string; workDir: string; pathEnv: string; signal?: AbortSignal },
): Promise<{ path: string; spoken: boolean }> {
  const espeak = findOnPath('espeak-ng', opts.pathEnv)[0]
  let speech: Array<{ file: string; durationS: number }> | null = null
  if (espeak) {
    await fs.mkdir(opts.workDir, { recursive: true })
    speech = []
    for (const [i, text] of DEMO_SENTENCES.entries()) {
      const file = path.join(opts.workDir, `sentence-${i}.wav`)
      const r = await runTool({ path: espeak, source: 'system', version: '' }, ['-v', 'en-us', '-s', '165', '-w', file, text], { signal: opts.signal })
      if (r.exitCode !== 0) {
        speech = null
        break
      }
      const { size } = await fs.stat(file)
      speech.push({ file, durationS: Math.max(0.5, (size - 44) / 2 / 22050) }) // espeak-ng writes 22.05 kHz 16-bit mono
    }
  }
  try {
    await writeViaPartFile(opts.output, async (part) => {
      const result = await runFfmpeg(tools, demoLectureArgs({ speech, output: part }), { signal: opts.signal })
      assertToolSucceeded(result, 'making the demo lecture')
    })
  } finally {
    await fs.rm(opts.workDir, { recursive: true, force: true })
  }
  return { path: opts.output, spoken: speech !== null }
}

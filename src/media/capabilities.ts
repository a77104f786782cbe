import { RecflowError } from '../domain/errors.js'
import { assertToolSucceeded, runTool } from './runner.js'
import type { MediaTools } from './types.js'

/** What the located ffmpeg can do, as far as recflow cares. Computed once per ffmpeg (see MediaToolbox). */

export const WANTED_ENCODERS = ['libx264', 'aac', 'libopus', 'libmp3lame', 'mjpeg'] as const
export const WANTED_FILTERS = ['silencedetect', 'trim', 'atrim', 'concat', 'aresample', 'scale'] as const

export type EncoderName = (typeof WANTED_ENCODERS)[number]
export type FilterName = (typeof WANTED_FILTERS)[number]

export interface MediaCapabilities {
  encoders: Record<EncoderName, boolean>
  filters: Record<FilterName, boolean>
}

export async function probeCapabilities(tools: MediaTools, opts: { signal?: AbortSignal } = {}): Promise<MediaCapabilities> {
  const [encoders, filters] = await Promise.all([
    listNames(tools, '-encoders', opts.signal),
    listNames(tools, '-filters', opts.signal),
  ])
  return {
    encoders: pick(WANTED_ENCODERS, parseEncoderList(encoders)),
    filters: pick(WANTED_FILTERS, parseFilterList(filters)),
  }
}

async function listNames(tools: MediaTools, flag: string, signal: AbortSignal | undefined): Promise<string[]> {
  const lines: string[] = []
  const result = await runTool(tools.ffmpeg, ['-hide_banner', flag], { signal, onStdoutLine: (l) => lines.push(l) })
  assertToolSucceeded(result, `ffmpeg ${flag}`)
  return lines
}

/** Lines like ` V....D libx264   libx264 H.264 ...` after the ` ------` separator. */
export function parseEncoderList(lines: readonly string[]): Set<string> {
  const names = new Set<string>()
  let inBody = false
  for (const line of lines) {
    if (/^\s*-{3,}\s*$/.test(line)) {
      inBody = true
      continue
    }
    if (!inBody) continue
    const m = /^\s*[A-Z.]{6}\s+(\S+)/.exec(line)
    if (m?.[1]) names.add(m[1])
  }
  return names
}

/** Lines like ` ... silencedetect     A->A       Detect silence.` (flags column of 2-3 characters). */
export function parseFilterList(lines: readonly string[]): Set<string> {
  const names = new Set<string>()
  for (const line of lines) {
    const m = /^\s*[A-Z.|]{2,3}\s+(\S+)\s+\S*->\S*\s/.exec(line)
    if (m?.[1]) names.add(m[1])
  }
  return names
}

function pick<K extends string>(wanted: readonly K[], present: Set<string>): Record<K, boolean> {
  return Object.fromEntries(wanted.map((k) => [k, present.has(k)])) as Record<K, boolean>
}

/** Throws a RecflowError naming what is missing, for stages that cannot work around it. */
export function requireCapabilities(
  caps: MediaCapabilities,
  need: { encoders?: readonly EncoderName[]; filters?: readonly FilterName[] },
  forWhat: string,
): void {
  const missing = [
    ...(need.encoders ?? []).filter((e) => !caps.encoders[e]).map((e) => `encoder ${e}`),
    ...(need.filters ?? []).filter((f) => !caps.filters[f]).map((f) => `filter ${f}`),
  ]
  if (missing.length === 0) return
  throw new RecflowError('validation', `this ffmpeg cannot ${forWhat}: missing ${missing.join(', ')}`, {
    hint: 'Install a full ffmpeg build (Debian/Ubuntu `ffmpeg`, Homebrew `ffmpeg`) or remove the configured path so recflow uses its bundled copy.',
  })
}

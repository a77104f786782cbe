import type { Cue } from './cue-limits.js'

/*
 * SRT and WebVTT files from cues. Both end every line with \n and the file with one, in UTF-8 without a BOM.
 *
 * Escaping: WebVTT cue text is markup, so `&`, `<` and `>` are written as `&amp;`, `&lt;` and `&gt;` (which
 * also keeps a literal `-->`, forbidden in cue text, out of the file). SRT has no escapes at all; the one thing
 * that would break its structure is an arrow `-->` inside the text (some readers take such a line for a timing
 * line), so it is written as `→`. Cue text never holds a line break of its own (the builder joins words with
 * single spaces), so no cue can end early at an empty line.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** 01:02:03,456 (SRT) or 01:02:03.456 (WebVTT); hours grow past two digits when needed. */
export function formatTimestamp(ms: number, separator: ',' | '.'): string {
  const whole = Math.max(0, Math.round(ms))
  const h = Math.floor(whole / 3_600_000)
  const m = Math.floor((whole % 3_600_000) / 60_000)
  const s = Math.floor((whole % 60_000) / 1000)
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(whole % 1000, 3)}`
}

export const escapeSrtText = (line: string): string => line.replace(/-->/g, '→')

export const escapeVttText = (line: string): string => line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** SubRip: numbered cues from 1, blank line between cues. No cues gives an empty file. */
export function writeSrt(cues: readonly Cue[]): string {
  return cues
    .map((c, i) => `${i + 1}\n${formatTimestamp(c.startMs, ',')} --> ${formatTimestamp(c.endMs, ',')}\n${c.lines.map(escapeSrtText).join('\n')}\n`)
    .join('\n')
}

/** WebVTT: the header, then one cue per block. No cues gives just the header (a valid, empty track). */
export function writeVtt(cues: readonly Cue[]): string {
  const blocks = cues.map((c) => `${formatTimestamp(c.startMs, '.')} --> ${formatTimestamp(c.endMs, '.')}\n${c.lines.map(escapeVttText).join('\n')}\n`)
  return ['WEBVTT\n', ...blocks].join('\n')
}

export const subtitleWriters = { srt: writeSrt, vtt: writeVtt } as const
export type SubtitleFormat = keyof typeof subtitleWriters

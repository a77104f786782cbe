/** The limits every cue keeps (broadcast-style subtitle rules). Times are whole milliseconds. */
export const MAX_LINE_CHARS = 42
export const MAX_LINES = 2
export const MAX_CUE_MS = 7000
export const MIN_CUE_MS = 800

/** A subtitle cue: its lines of text and when it is on screen, in milliseconds of the processed video. */
export interface Cue {
  startMs: number
  endMs: number
  lines: string[]
}

/** Length as people count it: code points, not UTF-16 units (an emoji or an astral character is one). */
export const textLength = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** A word that ends a sentence (closing quotes and brackets after the mark allowed). */
export const SENTENCE_END = /[.!?…。！？]["')\]»”’]*$/u
/** A word that ends a clause: a comma, semicolon, colon or dash. */
export const CLAUSE_END = /[,;:—–，；：]["')\]»”’]*$/u

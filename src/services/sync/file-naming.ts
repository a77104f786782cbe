import type { RE2JS } from 're2js'
import { wallClockMs, type ZonedFields } from '../../domain/time/zoned.js'

/**
 * Pure rules for what a file tells about its recording: the display name and the start time.
 *
 * display_name: the name pattern's `title` group, else the file name without its extension; in both, underscores
 * become spaces ("Linear_Algebra_03.mp4" -> "Linear Algebra 03", so title rules match), control characters
 * (newlines, tabs, escape sequences) become spaces, runs of spaces collapse, and the ends are trimmed.
 * Everything else (backslashes included) is kept: it is a title, not a path. The stored path stays exact.
 *
 * start_time: the container's creation_time, else the date in the file name (name pattern groups read in the
 * user's time zone), else the file's mtime.
 */

export const MAX_DISPLAY_NAME_LENGTH = 300

export function sanitizeDisplayName(text: string): string {
  const cleaned = text.normalize('NFC').replace(/\p{Cc}/gu, ' ').replace(/\s+/g, ' ').trim()
  return [...cleaned].slice(0, MAX_DISPLAY_NAME_LENGTH).join('').trim()
}

/** "Linear_Algebra_03.mp4" -> "Linear Algebra 03"; a name that cleans to nothing keeps its extension. */
export function displayNameFromFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.')
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName
  return cleanTitle(stem) || cleanTitle(fileName) || 'Untitled recording'
}

export function cleanTitle(text: string): string {
  return sanitizeDisplayName(text.replace(/_/g, ' '))
}

export interface NamePatternReading {
  title?: string
  /** UTC ISO. */
  startTime?: string
  /** Why the date groups could not be read (e.g. month 13), for a warning; the start time falls back. */
  problem?: string
}

/** Applies a compiled name pattern (compileNamePattern) to a file name (searching, not anchored). */
export function readNamePattern(pattern: RE2JS, fileName: string, timezone: string): NamePatternReading {
  const m = pattern.matcher(fileName)
  if (!m.find()) return {}
  const groups = m.getNamedGroups()
  const out: NamePatternReading = {}
  const title = groups.title == null ? '' : cleanTitle(groups.title)
  if (title !== '') out.title = title
  if (groups.year != null && groups.month != null && groups.day != null) {
    const fields = {
      year: Number(groups.year),
      month: Number(groups.month),
      day: Number(groups.day),
      hour: Number(groups.hour ?? 0),
      minute: Number(groups.minute ?? 0),
      second: Number(groups.second ?? 0),
    }
    const result = wallClockToUtc(fields, timezone)
    if (typeof result === 'string') out.problem = `${fileName}: ${result}`
    else out.startTime = result.toISOString()
  }
  return out
}

/**
 * The instant at which clocks in `timezone` showed these fields. A time inside a DST gap (one that never happened)
 * is read with the offset before the gap (02:30 -> 03:30); in an overlap, the earlier instant wins. Returns a
 * reason instead when the fields are not a date and time.
 */
export function wallClockToUtc(f: ZonedFields, timezone: string): Date | string {
  const year = f.year < 100 ? 2000 + f.year : f.year
  const values = [year, f.month, f.day, f.hour, f.minute, f.second]
  if (values.some((v) => !Number.isInteger(v))) return 'the date in the name is not made of numbers'
  const want = Date.UTC(year, f.month - 1, f.day, f.hour, f.minute, f.second)
  const check = new Date(want)
  const inRange =
    year >= 1970 &&
    year <= 9999 &&
    check.getUTCMonth() === f.month - 1 &&
    check.getUTCDate() === f.day &&
    f.hour <= 23 &&
    f.minute <= 59 &&
    f.second <= 59
  if (!inRange) return `${pad(year, 4)}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)} is not a valid date and time`
  const wallOf = (at: Date) => wallClockMs(at, timezone)
  const offsetAt = (t: number) => wallOf(new Date(t)) - t
  // Offsets a day either side cover any DST change near the wanted time; keep the candidates that read back right.
  const before = want - offsetAt(want - DAY_MS)
  const after = want - offsetAt(want + DAY_MS)
  const valid = [before, after].filter((t) => wallOf(new Date(t)) === want)
  return new Date(valid.length > 0 ? Math.min(...valid) : before)
}

const DAY_MS = 86_400_000

export type StartTimeOrigin = 'creation_time' | 'name_pattern' | 'mtime'

export function chooseStartTime(input: {
  creationTime?: string
  fromName?: string
  mtimeMs: number
}): { startTime: string; from: StartTimeOrigin } {
  if (input.creationTime) return { startTime: input.creationTime, from: 'creation_time' }
  if (input.fromName) return { startTime: input.fromName, from: 'name_pattern' }
  return { startTime: new Date(Math.trunc(input.mtimeMs)).toISOString(), from: 'mtime' }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

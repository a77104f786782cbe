export const HOUR_MS = 3_600_000

/** Reads instants as wall-clock time in one time zone. Build one per time zone and reuse it: Intl formats are slow to create. */
export function wallClockReader(timezone: string): (at: Date) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  /** The wall-clock time at `at`, as milliseconds of a UTC date with the same fields (09:00 Berlin -> 09:00Z). */
  return (at) => {
    const fields: Record<string, number> = {}
    for (const part of format.formatToParts(at)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value)
    }
    const f = (name: string) => fields[name] ?? 0
    return Date.UTC(f('year'), f('month') - 1, f('day'), f('hour'), f('minute'), f('second')) + at.getUTCMilliseconds()
  }
}

/**
 * Zoom lists cloud recordings for at most one month per request (API-CONTRACTS.md §A.4), so a range is cut into
 * consecutive windows: each starts the day after the previous one ended and ends at most one month (minus a day)
 * after its start, so no window is longer than Zoom accepts and no day is listed twice. Dates are yyyy-mm-dd (UTC).
 */
export function monthWindows(from: string, to: string): Array<{ from: string; to: string }> {
  const end = dayOf(to)
  const windows: Array<{ from: string; to: string }> = []
  for (let start = dayOf(from); start <= end; ) {
    const monthLater = new Date(start)
    monthLater.setUTCMonth(monthLater.getUTCMonth() + 1)
    // setUTCMonth overflows (Jan 31 + 1 month = Mar 2/3): clamp to the last day of the next month.
    if (monthLater.getUTCDate() !== start.getUTCDate()) monthLater.setUTCDate(0)
    const windowEnd = new Date(Math.min(end.getTime(), monthLater.getTime() - DAY_MS))
    windows.push({ from: ymd(start), to: ymd(windowEnd) })
    start = new Date(windowEnd.getTime() + DAY_MS)
  }
  return windows
}

const DAY_MS = 86_400_000
const ymd = (d: Date) => d.toISOString().slice(0, 10)

function dayOf(s: string): Date {
  const d = new Date(`${s}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${s}`)
  return d
}

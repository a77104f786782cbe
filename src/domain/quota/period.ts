/** The quota period of an instant: its UTC month as `YYYYMM`. */
export function usagePeriod(at: Date): string {
  return `${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`
}

/** When a period's allowance renews: the first instant of the next UTC month. */
export function periodEnd(period: string): Date {
  const year = Number(period.slice(0, 4))
  const month = Number(period.slice(4, 6))
  return new Date(Date.UTC(year, month, 1))
}

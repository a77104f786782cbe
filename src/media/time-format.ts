/**
 * Seconds as ffmpeg wants them on a command line: plain decimal (never exponent notation), at most
 * microsecond precision, no trailing zeros. -0 and values that round to zero print as "0".
 */
export function formatSeconds(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number of seconds: ${value}`)
  const fixed = value.toFixed(6).replace(/\.?0+$/, '')
  return fixed === '-0' || fixed === '' ? '0' : fixed
}

/** `processing.padding_before = 5   (user)` lines, one per leaf value, in schema order. */
export function flattenForDisplay(config: object, sources?: Record<string, string>): string[] {
  const lines: Array<[string, string, string | undefined]> = []
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k)
      return
    }
    lines.push([prefix, JSON.stringify(value ?? null), sources ? (sources[prefix] ?? 'default') : undefined])
  }
  walk(config, '')
  const width = Math.max(...lines.map(([p]) => p.length))
  const valueWidth = Math.max(...lines.map(([, v]) => v.length))
  return lines.map(([p, v, s]) => (s ? `${p.padEnd(width)} = ${v.padEnd(valueWidth)}  (${s})` : `${p.padEnd(width)} = ${v}`))
}

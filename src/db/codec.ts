import { RecflowError } from '../domain/errors.js'
import { readBytes, toBytes, toIso } from './values.js'

/*
 * Per-table conversion between stored rows and what callers see: JSON text <-> parsed values, 0/1 <-> booleans,
 * 64-bit sizes checked, times normalized to UTC. The `writable` list is also a whitelist: ids, user_id and
 * timestamps can never be set through an input object, whatever a caller passes at runtime.
 */

export interface CodecSpec {
  readonly writable: readonly string[]
  readonly json?: readonly string[]
  readonly flags?: readonly string[]
  readonly bytes?: readonly string[]
  readonly times?: readonly string[]
}

export interface Codec<Row> {
  decode(raw: unknown): Row
  /** Writable columns present in `input` (undefined = absent), converted for storage. */
  encode(input: object): Record<string, unknown>
}

type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** A stored row with JSON columns `J` parsed (`unknown`) and flag columns `F` as booleans. */
export type Decoded<Raw, J extends keyof Raw = never, F extends keyof Raw = never> = Simplify<{
  [K in keyof Raw]: K extends J ? unknown : K extends F ? boolean : Raw[K]
}>

export function codec<Row>(spec: CodecSpec): Codec<Row> {
  const json = new Set(spec.json)
  const flags = new Set(spec.flags)
  const bytes = new Set(spec.bytes)
  const times = new Set(spec.times)

  return {
    decode(raw) {
      const row: Record<string, unknown> = { ...(raw as Record<string, unknown>) }
      for (const key of json) if (typeof row[key] === 'string') row[key] = JSON.parse(row[key] as string)
      for (const key of flags) if (row[key] !== null && row[key] !== undefined) row[key] = Boolean(Number(row[key]))
      for (const key of bytes) if (row[key] !== null && row[key] !== undefined) row[key] = readBytes(row[key], key)
      return row as Row
    },
    encode(input) {
      const source = input as Record<string, unknown>
      const out: Record<string, unknown> = {}
      for (const key of spec.writable) {
        const value = source[key]
        if (value === undefined) continue
        if (value === null) out[key] = null
        else if (json.has(key)) out[key] = toJsonText(key, value)
        else if (flags.has(key)) out[key] = value === true || value === 1 ? 1 : 0
        else if (bytes.has(key)) out[key] = toBytes(value as number, key)
        else if (times.has(key)) out[key] = toIso(value as string | Date, key)
        else out[key] = value
      }
      return out
    },
  }
}

export function toJsonText(column: string, value: unknown): string {
  const text = JSON.stringify(value)
  if (text === undefined) throw new RecflowError('validation', `${column} is not JSON-serializable`)
  return text
}

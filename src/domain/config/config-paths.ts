import { z } from 'zod'
import { usageError, validationError } from '../errors.js'
import { splitPath } from './paths.js'
import { configSections, DEFAULT_CONFIG } from './schema.js'

/** What a leaf holds, read from its zod schema; parseConfigValue uses it to turn a CLI string into a value. */
export type ConfigValueKind =
  | { kind: 'boolean' }
  | { kind: 'number'; integer: boolean }
  | { kind: 'string' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'array'; element: ConfigScalarKind }
export type ConfigScalarKind = Exclude<ConfigValueKind, { kind: 'array' }>

export interface ConfigPathInfo {
  /** Dotted path, e.g. 'processing.padding_before'. */
  path: string
  /** Human-readable type, e.g. 'number', '"edges" | "pauses"', 'string[]', 'string | null'. */
  type: string
  /** Whether null is a real value (not only "inherit" in a layer). */
  nullable: boolean
  default: unknown
  description: string | undefined
  value: ConfigValueKind
  /** The leaf's schema for one layer: the value's checks, plus null (= inherit). */
  schema: z.ZodType
}

function scalarKind(schema: unknown, path: string): ConfigScalarKind {
  if (schema instanceof z.ZodBoolean) return { kind: 'boolean' }
  if (schema instanceof z.ZodNumber) return { kind: 'number', integer: schema.isInt }
  if (schema instanceof z.ZodString) return { kind: 'string' }
  if (schema instanceof z.ZodEnum) return { kind: 'enum', values: schema.options.map(String) }
  // A new leaf type needs a case here and in parseConfigValue; failing loudly keeps the two in step.
  throw new Error(`config leaf ${path} has a schema type listConfigPaths does not know`)
}

function valueKind(schema: unknown, path: string): ConfigValueKind {
  if (schema instanceof z.ZodArray) return { kind: 'array', element: scalarKind(schema.element, path) }
  return scalarKind(schema, path)
}

function typeName(value: ConfigValueKind): string {
  switch (value.kind) {
    case 'number':
      return value.integer ? 'integer' : 'number'
    case 'enum':
      return value.values.map((v) => JSON.stringify(v)).join(' | ')
    case 'array': {
      const element = typeName(value.element)
      return value.element.kind === 'enum' && value.element.values.length > 1 ? `(${element})[]` : `${element}[]`
    }
    default:
      return value.kind
  }
}

function leafInfo(section: string, key: string, leaf: z.ZodType): ConfigPathInfo {
  const path = `${section}.${key}`
  const withoutDefault = leaf instanceof z.ZodDefault ? (leaf.unwrap() as z.ZodType) : leaf
  const nullable = withoutDefault instanceof z.ZodNullable
  const inner = nullable ? withoutDefault.unwrap() : withoutDefault
  const value = valueKind(inner, path)
  const defaults = DEFAULT_CONFIG as unknown as Record<string, Record<string, unknown>>
  return {
    path,
    type: nullable ? `${typeName(value)} | null` : typeName(value),
    nullable,
    default: defaults[section]?.[key],
    description: withoutDefault.description ?? (inner as z.ZodType).description,
    value,
    schema: withoutDefault.nullable(),
  }
}

/** Every leaf of the config with its type, default and description, in schema order (for errors and docs). */
export function listConfigPaths(): ConfigPathInfo[] {
  return Object.entries(configSections).flatMap(([section, schema]) =>
    Object.entries(schema.shape).map(([key, leaf]) => leafInfo(section, key, leaf as z.ZodType)),
  )
}

const PATH_HINT = 'config paths are a section and a key, e.g. processing.padding_before'

/**
 * The leaf at `path`. Unknown keys are a validation error that lists the allowed keys at that level; a section
 * or a path below a leaf is a usage error.
 */
export function configPathInfo(path: string): ConfigPathInfo {
  const [section, key, ...rest] = splitPath(path)
  const sections = Object.keys(configSections)
  const sectionSchema = section === undefined ? undefined : configSections[section as keyof typeof configSections]
  if (section === undefined || sectionSchema === undefined || !Object.hasOwn(configSections, section)) {
    throw validationError(`unknown key ${JSON.stringify(section)} (allowed keys: ${sections.join(', ')})`, PATH_HINT)
  }
  const keys = Object.keys(sectionSchema.shape)
  if (key === undefined) {
    throw usageError(`${path} is a section, not a value`, `use one of its keys: ${keys.map((k) => `${section}.${k}`).join(', ')}`)
  }
  if (!Object.hasOwn(sectionSchema.shape, key)) {
    throw validationError(`unknown key ${JSON.stringify(key)} in ${section} (allowed keys: ${keys.join(', ')})`, PATH_HINT)
  }
  const info = leafInfo(section, key, (sectionSchema.shape as Record<string, z.ZodType>)[key] as z.ZodType)
  if (rest.length > 0) throw usageError(`${section}.${key} is a ${info.type} value, it has no key ${JSON.stringify(rest.join('.'))}`)
  return info
}

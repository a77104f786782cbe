import { usageError, validationError } from '../errors.js'
import { configPathInfo, type ConfigScalarKind } from './config-paths.js'
import { formatZodError } from '../format-zod-error.js'

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const TRUE_WORDS = new Set(['true', 'yes', 'on', '1'])
const FALSE_WORDS = new Set(['false', 'no', 'off', '0'])

function expectedType(kind: ConfigScalarKind): string {
  switch (kind.kind) {
    case 'boolean':
      return 'true or false'
    case 'number':
      return kind.integer ? 'an integer' : 'a number'
    case 'enum':
      return `one of ${kind.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'string':
      return 'a string'
  }
}

function expectedItems(kind: ConfigScalarKind): string {
  switch (kind.kind) {
    case 'boolean':
      return 'a list of true/false values'
    case 'number':
      return kind.integer ? 'a list of integers' : 'a list of numbers'
    case 'enum':
      return `a list of ${kind.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'string':
      return 'a list of strings'
  }
}

const SCALAR_HINT = 'write `null` to inherit the value from the layer below'
const LIST_HINT = 'write a list as a,b,c or as a JSON array ([] for an empty list), or `null` to inherit'

function mismatch(path: string, expected: string, raw: unknown, hint = SCALAR_HINT) {
  return usageError(`${path} expects ${expected} (got ${JSON.stringify(raw)})`, hint)
}

function parseScalar(path: string, kind: ConfigScalarKind, text: string): unknown {
  const t = text.trim()
  switch (kind.kind) {
    case 'boolean': {
      const lower = t.toLowerCase()
      if (TRUE_WORDS.has(lower)) return true
      if (FALSE_WORDS.has(lower)) return false
      throw mismatch(path, expectedType(kind), text)
    }
    case 'number': {
      const n = Number(t)
      if (!DECIMAL.test(t) || !Number.isFinite(n) || (kind.integer && !Number.isInteger(n))) {
        throw mismatch(path, expectedType(kind), text)
      }
      return n
    }
    case 'enum':
      if (!kind.values.includes(t)) throw mismatch(path, expectedType(kind), text)
      return t
    case 'string':
      return text
  }
}

// JSON elements must already have the element's JSON type: ["1"] is not a list of numbers.
function checkJsonElement(path: string, kind: ConfigScalarKind, element: unknown): unknown {
  const ok =
    (kind.kind === 'boolean' && typeof element === 'boolean') ||
    (kind.kind === 'number' && typeof element === 'number' && (!kind.integer || Number.isInteger(element))) ||
    (kind.kind === 'string' && typeof element === 'string') ||
    (kind.kind === 'enum' && typeof element === 'string' && kind.values.includes(element))
  if (!ok) throw mismatch(path, expectedItems(kind), element, LIST_HINT)
  return element
}

function parseList(path: string, element: ConfigScalarKind, text: string): unknown[] {
  const t = text.trim()
  if (t.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(t)
    } catch (e) {
      const reason = (e as Error).message
      throw usageError(`${path} expects ${expectedItems(element)}; ${JSON.stringify(text)} is not valid JSON: ${reason}`, LIST_HINT)
    }
    if (!Array.isArray(parsed)) throw mismatch(path, expectedItems(element), text, LIST_HINT)
    return parsed.map((el) => checkJsonElement(path, element, el))
  }
  return t
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return parseScalar(path, element, part)
      } catch {
        throw mismatch(path, expectedItems(element), part, LIST_HINT)
      }
    })
}

/**
 * Turns a CLI string (`recflow config set <path> <value>`) into the value the schema expects at `path`:
 * numbers, booleans (true/false, yes/no, on/off, 1/0), enum names, lists as `a,b` or a JSON array (an empty
 * string is an empty list), and `null` (= inherit from the layer below). A value of the wrong type is a usage
 * error naming the path and the expected type; a value of the right type outside its range (a negative
 * padding, a threshold above 0 dB) is a validation error. Unknown paths fail with "unknown key".
 */
export function parseConfigValue(path: string, raw: string): unknown {
  const info = configPathInfo(path)
  if (raw.trim() === 'null') return null
  const value = info.value.kind === 'array' ? parseList(path, info.value.element, raw) : parseScalar(path, info.value, raw)
  const checked = info.schema.safeParse(value, { reportInput: true })
  if (!checked.success) {
    throw validationError(`invalid value for ${formatZodError(checked.error, info.path)}`)
  }
  return checked.data
}

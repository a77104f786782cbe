import { RecflowError, validationError } from '../errors.js'
import { parseDateFormat, type DateFormatPart } from './date-format.js'
import { DATE_VARIABLE_DEFAULTS, isTemplateVariable, KNOWN_VARIABLES, type TemplateVariable } from './variables.js'

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: TemplateVariable; date: readonly DateFormatPart[] | null }

export interface TemplateProblem {
  kind: 'unknown_variable' | 'format' | 'syntax'
  message: string
  hint: string
}

export interface ParsedTemplate {
  segments: Segment[]
  /** Empty for a valid template. Rendering still works: a broken placeholder renders as empty text. */
  problems: TemplateProblem[]
}

const KNOWN_LIST = KNOWN_VARIABLES.map((v) => `{${v}}`).join(', ')
const BRACES_HINT = 'write {{ and }} for literal braces'

/**
 * Splits a template into text and `{variable}` / `{variable:FORMAT}` placeholders. `{{` and `}}` are literal
 * braces; a lone `}` is kept as text. Never throws: problems are collected so saving can reject them all at
 * once and rendering can skip them.
 */
export function parseTemplate(template: string): ParsedTemplate {
  const segments: Segment[] = []
  const problems: TemplateProblem[] = []
  let text = ''
  let i = 0
  while (i < template.length) {
    const ch = template[i]
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      text += ch
      i += 2
      continue
    }
    if (ch !== '{') {
      text += ch
      i++
      continue
    }
    const end = findClose(template, i + 1)
    if (end < 0) {
      problems.push({ kind: 'syntax', message: `unclosed '{' at position ${i + 1}`, hint: BRACES_HINT })
      i++
      continue
    }
    const body = template.slice(i + 1, end)
    i = end + 1
    const variable = parsePlaceholder(body, problems)
    if (variable === null) continue
    if (text !== '') segments.push({ kind: 'text', text })
    text = ''
    segments.push(variable)
  }
  if (text !== '') segments.push({ kind: 'text', text })
  return { segments, problems }
}

// A placeholder ends at the next '}' on the same line; another '{' first means the first one was never closed.
function findClose(s: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    const c = s[j]
    if (c === '}') return j
    if (c === '{' || c === '\n') return -1
  }
  return -1
}

function parsePlaceholder(body: string, problems: TemplateProblem[]): Segment | null {
  const colon = body.indexOf(':')
  const name = (colon < 0 ? body : body.slice(0, colon)).trim()
  const format = colon < 0 ? null : body.slice(colon + 1)
  if (!isTemplateVariable(name)) {
    problems.push({
      kind: 'unknown_variable',
      message: name === '' ? 'empty placeholder {}' : `unknown variable {${name}}`,
      hint: BRACES_HINT,
    })
    return null
  }
  if (format === null) return { kind: 'variable', name, date: null }
  if (DATE_VARIABLE_DEFAULTS[name] === undefined) {
    problems.push({
      kind: 'format',
      message: `variable {${name}} does not take a format (got {${body}})`,
      hint: `only ${Object.keys(DATE_VARIABLE_DEFAULTS).map((v) => `{${v}}`).join(', ')} take a date format`,
    })
    return null
  }
  try {
    return { kind: 'variable', name, date: parseDateFormat(format) }
  } catch (e) {
    if (!(e instanceof RecflowError)) throw e
    problems.push({ kind: 'format', message: `{${body}}: ${e.message}`, hint: e.hint ?? '' })
    return null
  }
}

/**
 * Rejects a template with an unknown variable, a format on a variable that takes none, a bad date token or an
 * unclosed brace. Run when a preset or template is saved; `field` names where the template came from.
 */
export function validateTemplateString(template: string, field?: string): void {
  const { problems } = parseTemplate(template)
  const first = problems[0]
  if (first === undefined) return
  const where = field === undefined ? '' : `${field}: `
  const known = first.kind === 'unknown_variable' ? `; known variables: ${KNOWN_LIST}` : ''
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''
  throw validationError(`${where}${first.message}${known}${more}`, first.hint, { problems })
}

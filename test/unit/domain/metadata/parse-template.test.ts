import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import { parseTemplate, validateTemplateString } from '../../../../src/domain/metadata/parse-template.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

describe('validateTemplateString', () => {
  it.each([
    ['{display_name}'],
    ['{display_name} — {date}'],
    ['{start_time:DD.MM.YYYY HH:mm}'],
    ['{date:YYYY-MM-DD} {date_time:D.M.YY H:mm:ss}'],
    ['{{literal}} and a lone } brace'],
    ['{ display_name }'],
    [''],
    ['{summary}\n\n{topics_list}\n{chapters}\n{topic} {topics} {main_topics} {duration} {title}'],
  ])('accepts %j', (t) => {
    expect(() => validateTemplateString(t)).not.toThrow()
  })

  it('names an unknown variable and lists the known ones', () => {
    const e = errorOf(() => validateTemplateString('Lecture {nmae}', 'title_template'))
    expect(e.code).toBe('validation')
    expect(e.message).toMatch(/^title_template: unknown variable \{nmae\}; known variables: \{display_name\}, \{title\}/)
    expect(e.message).toContain('{chapters}')
  })

  it('rejects a bad date token inside a placeholder', () => {
    expect(errorOf(() => validateTemplateString('{start_time:DD.MM.YYYY hh:mm}')).message).toMatch(
      /\{start_time:DD.MM.YYYY hh:mm\}: bad date format .*unknown token "hh"/,
    )
  })

  it('rejects a format on a variable that takes none', () => {
    expect(errorOf(() => validateTemplateString('{duration:HH}')).message).toMatch(/\{duration\} does not take a format/)
  })

  it('rejects an unclosed brace and an empty placeholder', () => {
    expect(errorOf(() => validateTemplateString('Lecture {display_name')).message).toMatch(/unclosed '\{' at position 9/)
    expect(errorOf(() => validateTemplateString('a {} b')).message).toMatch(/empty placeholder/)
  })

  it('does not let a placeholder run across lines', () => {
    expect(() => validateTemplateString('{display_name\n}')).toThrow(/unclosed/)
  })

  it('counts further problems and keeps them all in details', () => {
    const e = errorOf(() => validateTemplateString('{a} {b} {c}'))
    expect(e.message).toMatch(/\(and 2 more problems\)$/)
    expect((e.details as { problems: unknown[] }).problems).toHaveLength(3)
  })
})

describe('parseTemplate', () => {
  it('turns doubled braces into literal ones', () => {
    expect(parseTemplate('{{x}} {{{display_name}}}').segments).toEqual([
      { kind: 'text', text: '{x} {' },
      { kind: 'variable', name: 'display_name', date: null },
      { kind: 'text', text: '}' },
    ])
  })
})

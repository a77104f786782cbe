import { describe, expect, it } from 'vitest'
import type { RenderContext } from '../../../../src/domain/metadata/render-context.js'
import { renderTemplate, renderTemplateString } from '../../../../src/domain/metadata/render-template.js'

const ctx: RenderContext = {
  display_name: '  Linear Algebra  ',
  start_time: '2024-10-27T08:05:09Z',
  duration: 3725,
  timezone: 'Europe/Berlin',
  topics: [
    { title: 'Intro', start: 3 },
    { title: 'Vectors', start: 300 },
    { title: 'Matrices', start: 1800 },
  ],
  main_topics: ['Vector spaces', ' ', 'Bases'],
  summary: ' We cover vectors. ',
}
const bare: RenderContext = { display_name: 'Weekly sync', start_time: '2024-01-02T03:04:05Z', duration: 59, timezone: 'UTC' }
const line = (t: string, c: RenderContext = ctx) => renderTemplateString(t, c, { mode: 'line' })
const block = (t: string, c: RenderContext = ctx) => renderTemplateString(t, c, { mode: 'block' })

describe('renderTemplate variables', () => {
  it('renders the recording title, trimmed', () => {
    expect(line('[{display_name}]')).toBe('[Linear Algebra]')
  })

  it('renders dates in the user timezone with default and inline formats', () => {
    expect(line('{date}')).toBe('27.10.2024')
    expect(line('{date_time}')).toBe('27.10.2024 09:05')
    expect(line('{start_time}')).toBe('27.10.2024 09:05')
    expect(line('{start_time:YYYY-MM-DD HH:mm:ss}')).toBe('2024-10-27 09:05:09')
    expect(line('{date:D.M.YY}')).toBe('27.10.24')
  })

  it('renders the duration', () => {
    expect(line('{duration}')).toBe('1:02:05')
    expect(line('{duration}', bare)).toBe('0:59')
  })

  it('renders topic variables', () => {
    expect(line('{topic}')).toBe('Vector spaces')
    expect(line('{main_topics}')).toBe('Vector spaces, Bases')
    expect(line('{topics}')).toBe('Intro, Vectors, Matrices')
    expect(block('{topics_list}')).toBe('1. Intro\n2. Vectors\n3. Matrices')
    expect(block('{chapters}')).toBe('0:00 Intro\n5:00 Vectors\n30:00 Matrices')
    expect(line('{summary}')).toBe('We cover vectors.')
  })

  it('falls back to the first topic for {topic} without main topics', () => {
    expect(line('{topic}', { ...ctx, main_topics: null })).toBe('Intro')
  })

  it('renders {title} as the given title, else the recording title', () => {
    expect(renderTemplateString('{title}!', ctx, { title: 'Rendered' })).toBe('Rendered!')
    expect(line('{title}!')).toBe('Linear Algebra!')
  })

  it('uses the topics_display options for {topics_list}', () => {
    const out = renderTemplateString('{topics_list}', ctx, {
      mode: 'block',
      topicsDisplay: { format: 'dash_list', show_timestamps: true, max_count: 2 },
    })
    expect(out).toBe('- 00:00:03 Intro\n- 00:05:00 Vectors')
  })

  it('turns doubled braces into literal braces', () => {
    expect(line('{{display_name}} {{{display_name}}}')).toBe('{display_name} {Linear Algebra}')
  })

  it('renders missing optional data as empty text', () => {
    expect(line('{display_name} {topic}{topics}{main_topics}{summary}{chapters}|', bare)).toBe('Weekly sync |')
  })
})

describe('renderTemplate lines', () => {
  it('collapses whitespace and newlines in line mode', () => {
    expect(line('{topics_list}  x')).toBe('1. Intro 2. Vectors 3. Matrices x')
  })

  it('drops lines whose placeholders all rendered empty and collapses blank lines', () => {
    const template = '{summary}\n\n{topics_list}\n\nChapters:\n{chapters}\n\n\nRecorded {date}\n'
    expect(block(template, bare)).toBe('Chapters:\n\nRecorded 02.01.2024')
  })

  it('keeps lines of plain text and author blank lines between content', () => {
    expect(block('Line one\n\nLine two\n{summary}\nLine three', bare)).toBe('Line one\n\nLine two\nLine three')
  })

  it('keeps a line with text around an empty placeholder', () => {
    expect(block('Summary: {summary}\nEnd', bare)).toBe('Summary:\nEnd')
  })
})

describe('renderTemplate with an invalid template', () => {
  it('never outputs a literal unknown placeholder and warns instead', () => {
    const out = renderTemplate('{nope} {display_name} {duration:HH}', bare, { mode: 'line', field: 'title_template' })
    expect(out.text).toBe('Weekly sync')
    expect(out.warnings).toEqual([
      'title_template: unknown variable {nope} (left out)',
      'title_template: variable {duration} does not take a format (got {duration:HH}) (left out)',
    ])
  })
})

describe('renderTemplate data errors', () => {
  it('rejects an unknown timezone only when a date is rendered', () => {
    const broken = { ...bare, timezone: 'Nowhere/City' }
    expect(line('{display_name}', broken)).toBe('Weekly sync')
    expect(() => line('{date}', broken)).toThrow(/unknown time zone "Nowhere\/City"/)
  })

  it('renders UTC when no timezone is set', () => {
    expect(line('{date_time}', { ...bare, timezone: '' })).toBe('02.01.2024 03:04')
  })

  it('rejects invalid topics_display options with a readable message', () => {
    expect(() => renderTemplate('{topics_list}', ctx, { topicsDisplay: { format: 'table' as never } })).toThrow(
      /topics_display.format: expected one of numbered_list/,
    )
  })
})

import { describe, expect, it } from 'vitest'
import {
  formatTopicsList,
  formatTopicTitles,
  topicsDisplaySchema,
  type TopicsDisplayInput,
} from '../../../../src/domain/metadata/topics-display.js'

const topics = [
  { title: 'Introduction', start: 0 },
  { title: 'Q&A', start: 400 },
  { title: '  Vectors   and\nspaces ', start: 754 },
  { title: 'Matrices', start: 3723.6 },
  { title: 'Wrap-up without a time' },
]
const list = (display: TopicsDisplayInput) => formatTopicsList(topics, topicsDisplaySchema.parse(display))

describe('formatTopicsList', () => {
  it('renders a numbered list by default', () => {
    expect(list({})).toBe('1. Introduction\n2. Q&A\n3. Vectors and spaces\n4. Matrices\n5. Wrap-up without a time')
  })

  it('renders bullet and dash lists', () => {
    expect(list({ format: 'bullet_list', max_count: 2 })).toBe('• Introduction\n• Q&A')
    expect(list({ format: 'dash_list', max_count: 2 })).toBe('- Introduction\n- Q&A')
  })

  it('renders comma separated and inline forms with their default or a custom separator', () => {
    expect(list({ format: 'comma_separated', max_count: 2 })).toBe('Introduction, Q&A')
    expect(list({ format: 'inline', max_count: 2 })).toBe('Introduction · Q&A')
    expect(list({ format: 'inline', max_count: 2, separator: ' / ' })).toBe('Introduction / Q&A')
  })

  it('leaves out topics shorter than min_length', () => {
    expect(list({ format: 'comma_separated', min_length: 4 })).not.toContain('Q&A')
  })

  it('applies max_count after filtering; null means all', () => {
    expect(list({ format: 'comma_separated', min_length: 4, max_count: 2 })).toBe('Introduction, Vectors and spaces')
    expect(list({ format: 'comma_separated', max_count: null }).split(', ')).toHaveLength(5)
  })

  it('cuts long topics at a word boundary with an ellipsis', () => {
    expect(list({ format: 'dash_list', max_length: 12, min_length: 10 })).toBe(
      '- Introduction\n- Vectors and…\n- Wrap-up…',
    )
  })

  it('puts timestamps before topics that have a start time', () => {
    expect(list({ show_timestamps: true, max_count: 4, format: 'dash_list' })).toBe(
      '- 00:00:00 Introduction\n- 00:06:40 Q&A\n- 00:12:34 Vectors and spaces\n- 01:02:03 Matrices',
    )
    expect(list({ show_timestamps: true, format: 'dash_list' }).split('\n')[4]).toBe('- Wrap-up without a time')
  })

  it('puts the prefix on its own line for lists and before inline forms', () => {
    expect(list({ prefix: 'Topics:', format: 'dash_list', max_count: 1 })).toBe('Topics:\n- Introduction')
    expect(list({ prefix: 'Topics:', format: 'comma_separated', max_count: 2 })).toBe('Topics: Introduction, Q&A')
  })

  it('renders nothing, not even the prefix, when no topic survives', () => {
    expect(list({ prefix: 'Topics:', min_length: 100 })).toBe('')
    expect(formatTopicsList([], topicsDisplaySchema.parse({}))).toBe('')
  })
})

describe('formatTopicTitles', () => {
  it('joins the filtered titles with commas, without prefix or timestamps', () => {
    const display = topicsDisplaySchema.parse({ prefix: 'T:', show_timestamps: true, min_length: 4, max_count: 2, format: 'numbered_list' })
    expect(formatTopicTitles(topics, display)).toBe('Introduction, Vectors and spaces')
  })
})

describe('topicsDisplaySchema', () => {
  it('rejects max_length below min_length and an unknown format', () => {
    expect(topicsDisplaySchema.safeParse({ min_length: 10, max_length: 5 }).success).toBe(false)
    expect(topicsDisplaySchema.safeParse({ format: 'table' }).success).toBe(false)
    expect(topicsDisplaySchema.safeParse({ max_count: 0 }).success).toBe(false)
  })
})

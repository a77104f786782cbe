import { describe, expect, it } from 'vitest'
import { details, tree } from '../../../src/cli/presenters/table.js'

describe('tree: nested values for `show` commands', () => {
  it('shows strings as written (no JSON escapes), lists as dashes, mappings indented', () => {
    expect(tree({ matching_rules: { patterns: ['^DS lecture \\d+', 'say "hi"'], case_sensitive: false }, ids: [1, 2] })).toEqual([
      'matching_rules:',
      '  patterns:',
      '    - ^DS lecture \\d+',
      '    - say "hi"',
      '  case_sensitive: false',
      'ids:',
      '  - 1',
      '  - 2',
    ])
  })

  it('quotes only empty or space-padded strings, shows empties, nulls and several lines plainly', () => {
    expect(tree({ prefix: '', separator: ' | ', max: null, tags: [], extra: {}, text: 'a\nb' }).join('\n').split('\n')).toEqual([
      'prefix: ""',
      'separator: " | "',
      'max: -',
      'tags: []',
      'extra: {}',
      'text: |',
      '  a',
      '  b',
    ])
  })

  it('puts a mapping inside a list beside its dash', () => {
    expect(tree([{ a: 1, b: [2] }])).toEqual(['- a: 1', '  b:', '    - 2'])
  })

  it('makes control characters visible', () => {
    expect(tree({ name: 'x\u001b[2J' })).toEqual(['name: x\\x1b[2J'])
  })

  it('details: a nested mapping below its key, an empty one inline', () => {
    expect(details([['id', 1], ['rules', { patterns: ['\\d'] }], ['config', {}]])).toBe('id:     1\nrules:\n  patterns:\n    - \\d\nconfig: {}')
  })
})

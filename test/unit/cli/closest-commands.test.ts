import { describe, expect, it } from 'vitest'
import { closestCommands, editDistance } from '../../../src/cli/closest-commands.js'

const KNOWN = ['recordings', 'recordings list', 'recordings show', 'recordings add', 'templates', 'templates list', 'run', 'sync', 'doctor']

describe('closestCommands', () => {
  it('suggests the command a misspelt topic and command mean', () => {
    expect(closestCommands(['recrodings', 'list'], KNOWN)).toEqual({ typed: 'recrodings list', suggestions: ['recordings list'] })
  })

  it('ignores the arguments oclif glued onto an unknown command id', () => {
    expect(closestCommands(['recordings', 'lst', '12'], KNOWN)).toEqual({ typed: 'recordings lst', suggestions: ['recordings list'] })
  })

  it('suggests a topic for a misspelt topic alone', () => {
    expect(closestCommands(['tmplates'], KNOWN).suggestions).toEqual(['templates'])
  })

  it('suggests nothing when nothing is close', () => {
    expect(closestCommands(['xyzzy'], KNOWN)).toEqual({ typed: 'xyzzy', suggestions: [] })
    expect(closestCommands(['recrodings', '12'], KNOWN).suggestions).toEqual(['recordings'])
  })

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('recrodings', 'recordings')).toBe(1)
    expect(editDistance('', 'abc')).toBe(3)
  })
})

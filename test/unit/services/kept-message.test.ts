import { describe, expect, it } from 'vitest'
import { keptMessage } from '../../../src/services/pipeline/stage-process.js'

describe('keptMessage', () => {
  it('never says more was kept than the original holds', () => {
    expect(keptMessage(60.08, 60.0)).toBe('kept 60.0 s of 60.0 s')
    expect(keptMessage(54.24, 60.0)).toBe('kept 54.2 s of 60.0 s')
  })
})

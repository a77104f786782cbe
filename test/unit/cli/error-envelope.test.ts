import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { toErrorEnvelope } from '../../../src/cli/error-envelope.js'

describe('toErrorEnvelope', () => {
  it.each([
    ['usage', 2],
    ['validation', 2],
    ['not_found', 3],
    ['auth', 4],
    ['provider', 5],
    ['quota', 6],
    ['cancelled', 130],
    ['internal', 1],
  ] as const)('maps %s to exit code %i', (code, exit) => {
    const r = toErrorEnvelope(new RecflowError(code, 'm', { hint: 'h' }))
    expect(r.exitCode).toBe(exit)
    expect(r.envelope).toEqual({ ok: false, error: { code, message: 'm', hint: 'h' } })
  })

  it('treats oclif parse errors as usage errors', () => {
    const err = Object.assign(new Error('Missing 1 required arg:\nid\nSee more help with --help'), { parse: {}, oclif: { exit: 2 } })
    const r = toErrorEnvelope(err)
    expect(r.exitCode).toBe(2)
    expect(r.envelope.error.message).toBe('Missing 1 required arg: id')
  })

  it('keeps a wrapped argument description in one sentence (no ": " where oclif broke the line)', () => {
    const message = 'Missing 1 required arg:\nkind  (fireworks|openai|zoom) Which service the key is\n      for.\nSee more help with --help'
    const r = toErrorEnvelope(Object.assign(new Error(message), { parse: {}, oclif: { exit: 2 } }))
    expect(r.envelope.error.message).toBe('Missing 1 required arg: kind  (fireworks|openai|zoom) Which service the key is for.')
  })

  it('hides the stack of unexpected errors behind a hint', () => {
    const r = toErrorEnvelope(new TypeError('boom'))
    expect(r.exitCode).toBe(1)
    expect(r.envelope.error.code).toBe('internal')
    expect(r.envelope.error.message).toContain('boom')
    expect(JSON.stringify(r.envelope)).not.toContain('at ')
  })
})

import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { toErrorEnvelope, withCommandHint } from '../../../src/cli/error-envelope.js'

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

describe('withCommandHint', () => {
  const hintOf = (e: RecflowError, id = 'templates:add') => withCommandHint(toErrorEnvelope(e).envelope, id).error.hint

  it("keeps an error's own hint, naming the command where it says recflow <command>", () => {
    expect(hintOf(new RecflowError('usage', 'x', { hint: 'see `recflow <command> --help`' }))).toBe('see `recflow templates add --help`')
    expect(hintOf(new RecflowError('provider', 'x', { hint: 'run `recflow credentials test 2`' }))).toBe('run `recflow credentials test 2`')
  })

  it("gives bad input without a hint the command's --help, and a failure that is not the input's a hint that fits it", () => {
    for (const code of ['usage', 'validation', 'not_found', 'conflict'] as const) {
      expect(hintOf(new RecflowError(code, 'x'))).toBe('see `recflow templates add --help` for the arguments, flags and examples')
    }
    expect(hintOf(new RecflowError('provider', 'Zoom answered 502'))).toMatch(/^the service failed; try again later/)
    expect(hintOf(new RecflowError('internal', 'x'))).toMatch(/RECFLOW_LOG_LEVEL=debug/)
    expect(hintOf(new RecflowError('cancelled', 'cancelled'))).toBe('run the same command again to resume')
    for (const code of ['provider', 'internal', 'cancelled'] as const) expect(hintOf(new RecflowError(code, 'x'))).not.toMatch(/--help/)
  })
})

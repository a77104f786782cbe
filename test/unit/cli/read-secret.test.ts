import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readSecret } from '../../../src/cli/read-secret.js'

/** A stand-in terminal: a stream with isTTY and setRawMode that records the raw-mode switches. */
function terminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, modes: [] as boolean[], setRawMode(mode: boolean) { stdin.modes.push(mode); return stdin } })
  const stderr = new PassThrough()
  let shown = ''
  stderr.on('data', (d) => (shown += d))
  return { stdin, stderr, shown: () => shown }
}

describe('readSecret', () => {
  it('on a terminal: prompts on stderr, echoes nothing of the key, honours backspace, restores the mode', async () => {
    const t = terminal()
    const got = readSecret({ prompt: 'key: ', stdin: t.stdin, stderr: t.stderr })
    t.stdin.write('sk-abX')
    t.stdin.write('\u007fc\r')
    expect(await got).toBe('sk-abc')
    expect(t.shown()).toBe('key: \n')
    expect(t.stdin.modes).toEqual([true, false])
  })

  it('on a terminal: Ctrl-C cancels and stores nothing', async () => {
    const t = terminal()
    const got = readSecret({ prompt: 'key: ', stdin: t.stdin, stderr: t.stderr })
    t.stdin.write('sk-a\u0003')
    await expect(got).rejects.toMatchObject({ code: 'cancelled' })
    expect(t.stdin.modes).toEqual([true, false])
  })

  it('piped: the first line only; without a newline, all of it', async () => {
    const piped = new PassThrough()
    const got = readSecret({ prompt: 'unused', stdin: piped })
    piped.write('sk-one')
    piped.end('\nsk-two\n')
    expect(await got).toBe('sk-one')

    const bare = new PassThrough()
    const all = readSecret({ prompt: 'unused', stdin: bare })
    bare.end('sk-three')
    expect(await all).toBe('sk-three')

    const empty = new PassThrough()
    const none = readSecret({ prompt: 'unused', stdin: empty })
    empty.end()
    expect(await none).toBe('')
  })
})

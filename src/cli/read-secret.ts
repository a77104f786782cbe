import { RecflowError } from '../domain/errors.js'

/** More than any API key: a pipe that holds more is cut here and the rest never read. */
const MAX_STDIN_BYTES = 64 * 1024

interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean
  setRawMode?: (mode: boolean) => unknown
}

/**
 * A secret the user did not give as a flag: on a terminal, a hidden prompt (nothing echoed); when piped, the
 * first line of stdin. The text is returned as typed; the caller checks it (and never prints it).
 */
export function readSecret(opts: { prompt: string; stdin?: SecretInput; stderr?: NodeJS.WritableStream }): Promise<string> {
  const stdin = opts.stdin ?? (process.stdin as SecretInput)
  const stderr = opts.stderr ?? process.stderr
  return stdin.isTTY && stdin.setRawMode ? promptHidden(stdin, stderr, opts.prompt) : firstLine(stdin)
}

function firstLine(stdin: SecretInput): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    let bytes = 0
    const done = (value: string) => {
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      stdin.off('error', onError)
      stdin.pause()
      resolve(value)
    }
    const onData = (chunk: Buffer | string) => {
      const s = typeof chunk === 'string' ? chunk : chunk.toString('utf8')
      bytes += Buffer.byteLength(s)
      text += s
      const nl = text.indexOf('\n')
      if (nl >= 0) done(text.slice(0, nl))
      else if (bytes > MAX_STDIN_BYTES) done(text)
    }
    const onEnd = () => done(text)
    const onError = (e: Error) => reject(new RecflowError('usage', `cannot read the key from stdin: ${e.message}`))
    stdin.on('data', onData)
    stdin.on('end', onEnd)
    stdin.on('error', onError)
    stdin.resume()
  })
}

function promptHidden(stdin: SecretInput, stderr: NodeJS.WritableStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    stderr.write(prompt)
    stdin.setRawMode!(true)
    const finish = (fn: () => void) => {
      stdin.off('data', onData)
      stdin.setRawMode!(false)
      stdin.pause()
      stderr.write('\n')
      fn()
    }
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(text))
        if (ch === '\u0003') return finish(() => reject(new RecflowError('cancelled', 'cancelled: no key was stored')))
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1)
        else text += ch
      }
    }
    stdin.on('data', onData)
    stdin.resume()
  })
}

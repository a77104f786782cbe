import { EventEmitter } from 'node:events'

/**
 * Stand-ins for a terminal's streams (the way ink-testing-library builds them), for tests that mount Ink
 * through our own render entry or need a stdin without raw mode.
 */
export class FakeStdout extends EventEmitter {
  readonly writes: string[] = []
  isTTY = true
  columns = 100
  rows = 30
  write = (chunk: string) => {
    this.writes.push(String(chunk))
    return true
  }
  text(): string {
    return this.writes.join('')
  }
}

export class FakeStdin extends EventEmitter {
  isTTY: boolean
  rawMode = false
  private data: string | null = null
  constructor(opts: { isTTY?: boolean } = {}) {
    super()
    this.isTTY = opts.isTTY ?? true
  }
  write(data: string): void {
    this.data = data
    this.emit('readable')
    this.emit('data', data)
  }
  read = (): string | null => {
    const { data } = this
    this.data = null
    return data
  }
  setRawMode(on: boolean): void {
    this.rawMode = on
  }
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** Fake streams typed as the Node streams Ink and createProgressOutput expect. */
export function fakeTerminal(opts: { stdinIsTTY?: boolean } = {}) {
  const stdout = new FakeStdout()
  const stderr = new FakeStdout()
  const stdin = new FakeStdin({ isTTY: opts.stdinIsTTY })
  return {
    stdout,
    stderr,
    stdin,
    streams: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
    },
  }
}

/** Lets Ink's effects (input listeners) and throttled writes run. */
export const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms))

/** Drops colour and cursor escape codes so assertions read the visible text. */
export const visible = (text: string | undefined) => (text ?? '').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001B\][^\u0007]*\u0007/g, '')

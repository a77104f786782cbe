import readline from 'node:readline'
import { Flags } from '@oclif/core'
import { usageError } from '../domain/errors.js'
import type { RuntimeEnv } from '../platform/config.js'
import { openBrowser } from '../platform/open-browser.js'
import type { SignInIo } from '../services/auth/browser-sign-in.js'

/** The flags every browser sign-in command takes (`recflow auth youtube|vk|zoom`). */
export const signInFlags = {
  'no-browser': Flags.boolean({ summary: 'Only print the sign-in URL; do not open a browser.' }),
  manual: Flags.boolean({
    summary: 'Also accept the final redirect URL pasted on stdin (for a remote shell, where the browser cannot reach this machine).',
  }),
  timeout: Flags.integer({ summary: 'Seconds to wait for the browser (default 300).', min: 1, max: 3600 }),
}

export const SIGN_IN_URL_PREFIX = 'Open this URL to sign in: '

export function signInTimeoutMs(seconds: number | undefined): number | undefined {
  if (seconds === undefined) return undefined
  if (!Number.isInteger(seconds) || seconds < 1) throw usageError('--timeout must be a whole number of seconds, at least 1')
  return seconds * 1000
}

/**
 * The terminal side of a sign-in: the URL always on stderr (`Open this URL to sign in: <url>`), the browser opened
 * unless --no-browser, and with --manual a line read from stdin. `close()` stops reading stdin (call it when done,
 * or the process would wait for input).
 */
export function terminalSignInIo(
  flags: { 'no-browser'?: boolean; manual?: boolean },
  env: Pick<RuntimeEnv, 'browser' | 'platform'>,
  streams: { stdin?: NodeJS.ReadableStream; stderr?: NodeJS.WritableStream } = {},
  /** What the user is asked to paste under --manual (default: the loopback address the browser ended on). */
  pastePrompt = 'After allowing access, paste the address the browser ended on (it starts with http://127.0.0.1), then press Enter:',
): SignInIo & { close(): void } {
  const stderr = streams.stderr ?? process.stderr
  const stdin = streams.stdin ?? process.stdin
  let rl: readline.Interface | undefined
  const io: SignInIo & { close(): void } = {
    announce: (url) => {
      stderr.write(`${SIGN_IN_URL_PREFIX}${url}\n`)
    },
    notice: (message) => {
      stderr.write(`${message}\n`)
    },
    // A stdin still open (a terminal, or a pipe nobody closes) would keep the process waiting after the sign-in.
    close: () => {
      if (!rl) return
      rl.close()
      ;(stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.()
    },
  }
  if (!flags['no-browser']) io.openBrowser = (url) => openBrowser(url, { browser: env.browser, platform: env.platform })
  if (flags.manual) {
    io.pasted = () =>
      new Promise<string | undefined>((resolve) => {
        stderr.write(`${pastePrompt}
`)
        rl = readline.createInterface({ input: stdin, terminal: false })
        rl.once('line', (line) => {
          resolve(line)
          rl?.close()
        })
        rl.once('close', () => resolve(undefined))
      })
  }
  return io
}

/**
 * `--redirect-uri` of providers that allow only registered redirect URIs (VK ID, Zoom): a loopback http URL with a
 * port and a path, as registered in the app's settings. Port 0 takes a free port (tests).
 */
export const DEFAULT_REGISTERED_REDIRECT = 'http://127.0.0.1:53682/callback'

export function registeredRedirectUri(input: string | undefined, setting: string): string {
  const text = (input ?? DEFAULT_REGISTERED_REDIRECT).trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw usageError(`--redirect-uri "${text}" is not a URL`, `give the loopback address registered as ${setting}, e.g. --redirect-uri ${DEFAULT_REGISTERED_REDIRECT}`)
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
  if (url.protocol !== 'http:' || !loopback || url.port === '' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw usageError(
      `--redirect-uri must be http://127.0.0.1:PORT/PATH (or localhost): recflow receives the answer on this machine, not ${text}`,
      `register a loopback address as ${setting} and give it, e.g. --redirect-uri ${DEFAULT_REGISTERED_REDIRECT}`,
    )
  }
  return url.toString()
}

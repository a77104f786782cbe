import fs from 'node:fs'
import path from 'node:path'

/*
 * A scripted browser for end-to-end sign-in tests: it watches a command's stderr for the line
 * `Open this URL to sign in: <url>`, follows that URL to a fake's authorize endpoint as the user would (consenting,
 * or declining with the header `x-fake-consent: deny`, which every authorize fake in test/fakes/ honours), and
 * follows the fake's 302 back to the CLI's loopback server with the code and state (or error=access_denied).
 * Options play the odd cases: a tampered callback (wrong state), a callback sent twice, a browser that cannot reach
 * the loopback (remote shell: the test pastes `visit.callbackUrl` with --manual instead).
 *
 * Use: `const browser = scriptedBrowser(); await runCommandInProcess([...], { home, onStderr: browser.onStderr })`,
 * then `await browser.visit` for what the browser saw.
 */

export interface ScriptedBrowserOptions {
  /** What the user answers on the consent screen (default approve). */
  consent?: 'approve' | 'deny'
  /** Whether the browser reaches the loopback callback (default true). */
  followCallback?: boolean
  /** Rewrites the callback URL before following it (e.g. a wrong state). */
  tamper?: (callback: URL) => URL
  /** How many times the callback is requested (2: a reload / a second callback). Default 1. */
  callbacks?: number
  /** Extra headers for the authorize request (a fake's own knobs). */
  headers?: Record<string, string>
}

export interface CallbackVisit {
  status: number
  body: string
  /** Set when the request failed (the loopback server was closed). */
  error?: string
}

export interface BrowserVisit {
  /** The URL printed on stderr. */
  signInUrl: URL
  /** The authorize endpoint's status (302 when it redirected back). */
  authorizeStatus: number
  authorizeBody: string
  /** Where it redirected to (the loopback URL with code+state), before tampering. */
  callbackUrl?: URL
  callbacks: CallbackVisit[]
}

export interface ScriptedBrowser {
  onStderr(text: string): void
  /** Settles when the browser is done (rejects if no URL was ever printed: see `stderr`). */
  readonly visit: Promise<BrowserVisit>
  /** Everything seen on stderr so far. */
  stderr(): string
}

const URL_LINE = /Open this URL to sign in: (\S+)\r?\n/

export function scriptedBrowser(opts: ScriptedBrowserOptions = {}): ScriptedBrowser {
  let seen = ''
  let started = false
  let resolveVisit!: (v: BrowserVisit) => void
  let rejectVisit!: (e: unknown) => void
  const visit = new Promise<BrowserVisit>((resolve, reject) => {
    resolveVisit = resolve
    rejectVisit = reject
  })
  visit.catch(() => undefined)

  const go = async (url: URL): Promise<BrowserVisit> => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.consent === 'deny') headers['x-fake-consent'] = 'deny'
    const authorize = await fetch(url, { redirect: 'manual', headers })
    const result: BrowserVisit = { signInUrl: url, authorizeStatus: authorize.status, authorizeBody: await authorize.text(), callbacks: [] }
    const location = authorize.headers.get('location')
    if (authorize.status < 300 || authorize.status >= 400 || !location) return result
    result.callbackUrl = new URL(location, url)
    if (opts.followCallback === false) return result
    const target = opts.tamper ? opts.tamper(new URL(result.callbackUrl)) : result.callbackUrl
    for (let i = 0; i < (opts.callbacks ?? 1); i++) {
      try {
        const res = await fetch(target, { headers: { connection: 'close' } })
        result.callbacks.push({ status: res.status, body: await res.text() })
      } catch (e) {
        result.callbacks.push({ status: 0, body: '', error: String((e as Error).cause ?? e) })
      }
    }
    return result
  }

  return {
    onStderr(text) {
      seen += text
      if (started) return
      const m = URL_LINE.exec(seen)
      if (!m) return
      started = true
      go(new URL(m[1]!)).then(resolveVisit, rejectVisit)
    },
    visit,
    stderr: () => seen,
  }
}

/** An executable that stands in for the BROWSER command: it records the URL it was given in `file`. */
export function recordingBrowserCommand(dir: string): { command: string; urls: () => string[] } {
  const file = path.join(dir, 'browser-opened.txt')
  const command = path.join(dir, 'fake-browser.sh')
  fs.writeFileSync(command, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${file}'\n`, { mode: 0o755 })
  return { command, urls: () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []) }
}

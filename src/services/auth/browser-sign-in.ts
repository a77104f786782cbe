import { RecflowError } from '../../domain/errors.js'
import type { Clock } from '../../platform/clock.js'
import { startLoopbackServer, type LoopbackAnswer } from '../../platform/loopback-server.js'
import { newPkcePair, newState } from './pkce.js'

/*
 * The browser half of an OAuth authorization-code sign-in (RFC 8252): PKCE S256, a single-use `state` (valid 10
 * minutes), a loopback redirect server on 127.0.0.1 on a free port, the URL always announced (the command prints
 * `Open this URL to sign in: <url>` on stderr), the browser opened unless --no-browser, and with --manual the
 * final redirect URL also taken pasted (for a remote shell, where the browser cannot reach the loopback server).
 * Ends with the first callback that carries the right state: a code, or a clear error (the user declined, a wrong
 * state, a provider error, the time ran out). The server stays up while `complete` trades the code (a second
 * callback meanwhile is told the sign-in already happened), then closes.
 */

/** How long a `state` is accepted. */
export const STATE_TTL_MS = 10 * 60_000
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000

export interface SignInIo {
  /** Shows the URL to the user (stderr): always called, before the browser is opened. */
  announce(url: string): void
  /** Opens the browser on the URL; absent with --no-browser. Resolves false when no browser could be started. */
  openBrowser?: (url: string) => Promise<boolean>
  /** --manual: resolves with what the user pasted (the redirect URL), or undefined when the input ended. */
  pasted?: () => Promise<string | undefined>
  /** A line for the user (stderr), e.g. that no browser could be opened. */
  notice?: (message: string) => void
  signal?: AbortSignal
}

export interface BrowserSignInInput {
  /** 'YouTube', 'VK', 'Zoom': for messages. */
  service: string
  /** The command that starts over, for hints: `recflow auth youtube`. */
  command: string
  authorizeUrl(p: { redirectUri: string; state: string; codeChallenge: string }): string
  timeoutMs?: number
  clock: Clock
  /** A fixed redirect URI the provider has registered (loopback http), instead of a free port and /callback. */
  redirectUri?: string
}

export interface SignInCallback {
  code: string
  /** Every parameter of the callback (VK ID's device_id, Google's granted scope, ...). */
  params: URLSearchParams
  codeVerifier: string
  redirectUri: string
}

const DONE_PAGE: LoopbackAnswer = { status: 200, title: 'Signed in', message: 'recflow got the answer. You can close this tab and go back to the terminal.' }

/**
 * Runs the browser half, then `complete(callback)` (the code exchange) while the loopback server still answers,
 * and returns what `complete` returns. Every failure is a RecflowError; the server is closed in every case.
 */
export async function browserSignIn<T>(input: BrowserSignInInput, io: SignInIo, complete: (callback: SignInCallback) => Promise<T>): Promise<T> {
  const pkce = newPkcePair()
  const state = newState()
  const issuedAt = input.clock.now().getTime()
  const timeoutMs = input.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS
  let settled = false
  let resolveAnswer!: (params: URLSearchParams) => void
  let rejectAnswer!: (e: unknown) => void
  const answer = new Promise<URLSearchParams>((resolve, reject) => {
    resolveAnswer = resolve
    rejectAnswer = reject
  })
  answer.catch(() => undefined)
  const fail = (e: RecflowError) => {
    if (settled) return
    settled = true
    rejectAnswer(e)
  }

  /** What a callback's parameters mean: the code, or a failure (thrown), with the page the browser gets. */
  const judge = (params: URLSearchParams): { ok: true } | { ok: false; error: RecflowError } => {
    const again = `run \`${input.command}\` again`
    if (params.get('state') !== state) {
      return {
        ok: false,
        error: new RecflowError('auth', `the sign-in answer carried a wrong state: it does not belong to this sign-in (an old tab, or a forged request); nothing was stored`, {
          hint: `${again} and finish it in the tab it opens`,
        }),
      }
    }
    if (input.clock.now().getTime() - issuedAt > STATE_TTL_MS) {
      return { ok: false, error: new RecflowError('auth', 'the sign-in answer came after its state expired (10 minutes); nothing was stored', { hint: again }) }
    }
    const error = params.get('error')
    if (error === 'access_denied') {
      return { ok: false, error: new RecflowError('auth', `access was declined in the browser: ${input.service} gave recflow no access; nothing was stored`, { hint: `${again} and allow access` }) }
    }
    if (error !== null) {
      const description = params.get('error_description')
      return { ok: false, error: new RecflowError('auth', `${input.service} refused the sign-in: ${error}${description ? ` (${description})` : ''}; nothing was stored`, { hint: again }) }
    }
    if (!params.get('code')) return { ok: false, error: new RecflowError('auth', `the sign-in answer holds no authorization code; nothing was stored`, { hint: again }) }
    return { ok: true }
  }

  const onCallback = (params: URLSearchParams): LoopbackAnswer => {
    if (settled) {
      return { status: 409, title: 'Already answered', message: 'This sign-in already got its answer (this is a second callback); nothing was changed. You can close this tab.' }
    }
    const verdict = judge(params)
    if (!verdict.ok) {
      fail(verdict.error)
      return { status: 400, title: 'Sign-in failed', message: `${verdict.error.message}. ${verdict.error.hint ?? ''}` }
    }
    settled = true
    resolveAnswer(params)
    return DONE_PAGE
  }

  const fixed = input.redirectUri === undefined ? undefined : new URL(input.redirectUri)
  const server = await startLoopbackServer(
    (url) => onCallback(url.searchParams),
    fixed ? { port: Number(fixed.port || 80), path: fixed.pathname, host: fixed.hostname } : {},
  )
  const timer = setTimeout(
    () =>
      fail(
        new RecflowError('auth', `no answer came from the browser within ${Math.round(timeoutMs / 1000)} s; nothing was stored`, {
          hint: `run \`${input.command}\` again (--timeout gives more time; --manual takes the redirect URL pasted, for a remote shell)`,
        }),
      ),
    timeoutMs,
  )
  const onAbort = () => fail(new RecflowError('cancelled', 'sign-in cancelled; nothing was stored'))
  io.signal?.addEventListener('abort', onAbort, { once: true })
  if (io.signal?.aborted) onAbort()
  try {
    const url = input.authorizeUrl({ redirectUri: server.redirectUri, state, codeChallenge: pkce.challenge })
    io.announce(url)
    if (io.openBrowser) {
      void io.openBrowser(url).then((opened) => {
        if (!opened) io.notice?.('No browser could be opened: open the URL above yourself.')
      })
    }
    if (io.pasted) {
      void io.pasted().then(
        (text) => {
          if (settled) return
          if (text === undefined) return // stdin ended: keep waiting for the browser
          const params = pastedParams(text)
          if (!params) {
            fail(new RecflowError('usage', 'the pasted text is not the redirect URL (it should start with http://127.0.0.1 and hold code= and state=); nothing was stored', { hint: `run \`${input.command}\` again and paste the whole address from the browser's address bar` }))
            return
          }
          onCallback(params)
        },
        (e: unknown) => fail(e instanceof RecflowError ? e : new RecflowError('usage', `cannot read the pasted redirect URL: ${(e as Error).message}`)),
      )
    }
    const params = await answer
    return await complete({ code: params.get('code')!, params, codeVerifier: pkce.verifier, redirectUri: server.redirectUri })
  } finally {
    settled = true
    clearTimeout(timer)
    io.signal?.removeEventListener('abort', onAbort)
    await server.close()
  }
}

/** The query of a pasted redirect URL (or of a bare `code=...&state=...`), else undefined. */
function pastedParams(text: string): URLSearchParams | undefined {
  const t = text.trim()
  if (t === '') return undefined
  let params: URLSearchParams
  try {
    params = /^https?:\/\//i.test(t) ? new URL(t).searchParams : new URLSearchParams(t.replace(/^\?/, ''))
  } catch {
    return undefined
  }
  return params.has('state') && (params.has('code') || params.has('error')) ? params : undefined
}

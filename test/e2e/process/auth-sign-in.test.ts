import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GOOGLE_TEST_CLIENT, startGoogleFake, type GoogleFake } from '../../fakes/google.js'
import { cliEnv, RUN, tempHome } from '../../support/cli.js'
import { scriptedBrowser, type ScriptedBrowserOptions } from '../../support/scripted-browser.js'

/*
 * The sign-in as a process (what in-process tests cannot show): the URL read live from the real stderr, the redirect
 * URL pasted into the real stdin with --manual, and the process exiting by itself afterwards, neither the loopback
 * server nor the stdin reader keeping it alive (stdin stays open, as on a terminal).
 */

let google: GoogleFake
let home: string
let clientFile: string

beforeAll(async () => {
  google = await startGoogleFake()
  home = tempHome()
  clientFile = path.join(home, 'client.json')
  fs.writeFileSync(clientFile, JSON.stringify({ installed: { client_id: GOOGLE_TEST_CLIENT.id, client_secret: GOOGLE_TEST_CLIENT.secret } }))
})
afterAll(async () => {
  await google?.close()
  fs.rmSync(home, { recursive: true, force: true })
})

function spawnSignIn(args: string[], browserOpts: ScriptedBrowserOptions) {
  const browser = scriptedBrowser(browserOpts)
  const child = spawn(process.execPath, [RUN, 'auth', 'youtube', '--client-secrets', clientFile, '--no-browser', ...args], {
    cwd: home,
    env: cliEnv(home, google.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => browser.onStderr(String(d)))
  const started = Date.now()
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr: browser.stderr(), ms: Date.now() - started })
    })
  })
  return { browser, child, exited }
}

describe('recflow auth youtube (process)', () => {
  it('--manual: the pasted redirect URL signs in and the process exits by itself with stdin still open', async () => {
    const { browser, child, exited } = spawnSignIn(['--manual', '--json'], { followCallback: false })
    const visit = await browser.visit
    child.stdin.write(`${visit.callbackUrl!.toString()}\n`) // stdin is not ended
    const result = await exited
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout).data).toMatchObject({ platform: 'youtube', account: 'Lectures Channel', refreshes: true })
    child.stdin.destroy()
  })

  it('the browser answer ends a --manual sign-in too, and a timeout ends the process with exit 4', async () => {
    const viaBrowser = spawnSignIn(['--manual', '--name', 'via-browser'], {})
    const first = await viaBrowser.exited
    viaBrowser.child.stdin.destroy()
    expect(first.code, first.stderr).toBe(0)

    const idle = spawnSignIn(['--timeout', '1'], { followCallback: false })
    const result = await idle.exited
    idle.child.stdin.destroy()
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('no answer came from the browser within 1 s')
    expect(result.ms).toBeLessThan(15_000)
  })
})

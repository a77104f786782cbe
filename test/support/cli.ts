import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const RUN = path.join(ROOT, 'bin', 'run.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** Parsed stdout when it is one JSON document. */
  json: any
}

export function tempHome(prefix = 'recflow-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** The environment a spawned CLI gets: its own home, the encrypted-file secret store, plain output (CI=true). */
export function cliEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file', NO_COLOR: '1', CI: 'true', ...extra }
}

/** Runs the built CLI (bin/run.js -> dist) as a user would, with its own RECFLOW_HOME. */
export function runCli(
  args: string[],
  opts: { home: string; stdin?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, ...args], {
      cwd: opts.cwd ?? opts.home,
      env: cliEnv(opts.home, opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({ code: code ?? -1, stdout, stderr, json })
    })
    child.stdin.end(opts.stdin ?? '')
  })
}

export function writeFile(dir: string, name: string, content: string | object): string {
  const p = path.join(dir, name)
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return p
}

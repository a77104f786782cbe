import { spawn } from 'node:child_process'

/**
 * Starts the user's browser on `url` without waiting for it: `browser` (the BROWSER variable) when set, else
 * xdg-open (Linux and BSDs), open (macOS) or `cmd /c start` (Windows). Resolves false when nothing could be started
 * (no opener installed, a headless box): the caller has printed the URL anyway, so that is never an error.
 */
export function openBrowser(url: string, opts: { browser?: string; platform: NodeJS.Platform }): Promise<boolean> {
  const [command, args] = opts.browser
    ? [opts.browser, [url]]
    : opts.platform === 'darwin'
      ? ['open', [url]]
      : opts.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]]
  return new Promise((resolve) => {
    let child
    try {
      child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true })
    } catch {
      resolve(false)
      return
    }
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}

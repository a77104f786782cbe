import crypto from 'node:crypto'
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { PieceResult } from '../../domain/transcript/index.js'
import { writeFileAtomicSync } from '../../platform/atomic-fs.js'

/*
 * Answers already paid for survive a failed TRANSCRIBE: each piece's answer is saved next to the audio
 * (`asr-000.json`, ...) as soon as it arrives, and the next attempt sends only the pieces without one. A saved
 * answer is used only for the very same request: the same source file (path, size, mtime), piece bounds,
 * provider, model, language and prompt. They are removed once the transcript is written.
 */

export interface PieceRequest {
  source: string
  offsetS: number
  durationS: number
  provider: string
  model: string
  language: string | null
  prompt: string
}

/** A digest of everything that shapes a piece's answer. */
export async function pieceKey(req: PieceRequest): Promise<string> {
  const s = await stat(req.source)
  const what = { ...req, size: s.size, mtimeMs: s.mtimeMs }
  return crypto.createHash('sha256').update(JSON.stringify(what)).digest('hex')
}

export async function loadPieceResult(file: string, key: string): Promise<PieceResult | undefined> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { key?: unknown; result?: PieceResult }
    return saved.key === key && saved.result && Array.isArray(saved.result.words) && Array.isArray(saved.result.segments) ? saved.result : undefined
  } catch {
    // Missing or unreadable: the piece is simply sent again.
    return undefined
  }
}

export function savePieceResult(file: string, key: string, result: PieceResult): void {
  writeFileAtomicSync(file, JSON.stringify({ key, result }))
}

/** Removes every saved answer of the recording (`<stem>*.json`). */
export async function removePieceResults(dir: string, stem: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  await Promise.all(names.filter((n) => n.startsWith(stem) && n.endsWith('.json')).map((n) => rm(path.join(dir, n), { force: true })))
}

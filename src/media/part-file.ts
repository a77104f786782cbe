import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'

/**
 * Runs `write` against `<output>.part` and renames it onto `output` only when `write` succeeds; on failure or
 * cancellation the partial file is removed, so a stage never leaves a half-written output under its real name.
 * With `into`, `write` goes to that path as it is: the caller owns its part file.
 */
export async function writeViaPartFile<T>(output: string, write: (partPath: string) => Promise<T>, into?: string): Promise<T> {
  // A caller that manages its own part file (an OutputSet) writes straight into it and renames it itself.
  if (into !== undefined) return write(into)
  const part = `${output}.part`
  await mkdir(path.dirname(output), { recursive: true })
  try {
    const result = await write(part)
    await rename(part, output)
    return result
  } catch (e) {
    await rm(part, { force: true })
    throw e
  }
}

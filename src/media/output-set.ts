import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'

/**
 * Several outputs written together (the processed media, its poster and its edit list): each is written under
 * its own unpredictable `*.part` name, and only when every one is written are they renamed into place. If writing
 * fails or is cancelled, the parts are removed: the set is there whole or not at all.
 *
 * The previous versions are removed before the new ones are written, not kept until the new set is complete.
 * They are derived from the source, so a failed rewrite loses nothing that the next run cannot make again (the
 * caller records that they are gone first). Keeping a 1 GB output that is still dirty in the page cache while its
 * successor is written makes the kernel write it back meanwhile (re-trim +1.9 s of system time, measured), and
 * replacing it afterwards frees its blocks inside a rename; removed first, its unwritten pages are just dropped,
 * as `ffmpeg -y` does when it truncates its output.
 */
export class OutputSet {
  readonly #finals: readonly string[]
  readonly #parts = new Map<string, string>()

  /** `finals`: every path of the set, the ones this run writes and any previous version to remove. */
  constructor(finals: readonly string[]) {
    this.#finals = finals
  }

  /** The path to write instead of `final`: a new, unpredictable name next to it, the same for repeated calls. */
  part(final: string): string {
    if (!this.#finals.includes(final)) throw new Error(`${final} is not part of this output set`)
    let part = this.#parts.get(final)
    if (!part) {
      part = `${final}.${randomBytes(6).toString('hex')}.part`
      this.#parts.set(final, part)
    }
    return part
  }

  /**
   * Removes the previous set, runs `write`, then renames every part onto its final name. When `write` or a
   * rename fails, every part and every file already renamed is removed: no mix of old and new is ever left.
   */
  async write<T>(dir: string, write: (set: OutputSet) => Promise<T>): Promise<T> {
    await mkdir(dir, { recursive: true })
    await Promise.all(this.#finals.map((f) => rm(f, { force: true })))
    const renamed: string[] = []
    try {
      const result = await write(this)
      for (const [final, part] of this.#parts) {
        await rename(part, final)
        renamed.push(final)
      }
      return result
    } catch (e) {
      await Promise.all([...this.#parts.values(), ...renamed].map((p) => rm(p, { force: true }).catch(() => {})))
      throw e
    } finally {
      this.#parts.clear()
    }
  }
}

import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'

/**
 * Several outputs that replace their previous versions together (the processed media, its poster and its edit
 * list): each is written under its own unpredictable `*.part` name, and only when every one is written are they
 * renamed into place. Until then the previous set stays whole; if writing fails, the parts are removed and the
 * previous set is untouched.
 *
 * Replacing works in two renames per file: the old file is first moved aside (to a `*.part` name, so a crash
 * leaves it for the next run's leftover cleanup), then the new one takes its name. Renaming over an existing
 * file would free the old file's blocks inside the rename (on ext4, ~0.5 s for 1 GB, and it also forces
 * write-back of the new file); moved aside, the old files are removed by `discard`, which the caller can run
 * alongside its remaining work.
 */
export class OutputSet {
  readonly #parts = new Map<string, string>()
  #aside: string[] = []

  /** The path to write instead of `final`: a new, unpredictable name next to it, the same for repeated calls. */
  part(final: string): string {
    let part = this.#parts.get(final)
    if (!part) {
      part = `${final}.${randomBytes(6).toString('hex')}.part`
      this.#parts.set(final, part)
    }
    return part
  }

  /** Runs `write` for the whole set: commits when it succeeds, removes every part when it fails. */
  async write<T>(dir: string, write: (set: OutputSet) => Promise<T>): Promise<T> {
    await mkdir(dir, { recursive: true })
    let result: T
    try {
      result = await write(this)
    } catch (e) {
      await this.abort()
      throw e
    }
    await this.commit()
    return result
  }

  /**
   * Renames every part onto its final name. If a rename fails, the files already renamed are put back (new
   * ones to their part names, old ones to their final names) and the parts are removed: all or nothing.
   */
  async commit(): Promise<void> {
    const done: Array<{ final: string; part: string; aside?: string }> = []
    try {
      for (const [final, part] of this.#parts) {
        const aside = `${final}.${randomBytes(6).toString('hex')}.old.part`
        const moved = await rename(final, aside).then(
          () => true,
          (e: NodeJS.ErrnoException) => {
            if (e.code === 'ENOENT') return false
            throw e
          },
        )
        done.push({ final, part, aside: moved ? aside : undefined })
        await rename(part, final)
      }
    } catch (e) {
      for (const step of done.reverse()) {
        await rename(step.final, step.part).catch(() => {})
        if (step.aside) await rename(step.aside, step.final).catch(() => {})
      }
      await this.abort()
      throw e
    }
    this.#aside = done.flatMap((d) => (d.aside ? [d.aside] : []))
    this.#parts.clear()
  }

  /** Removes the parts written so far (after a failure or a cancel). */
  async abort(): Promise<void> {
    await Promise.all([...this.#parts.values()].map((p) => rm(p, { force: true })))
    this.#parts.clear()
  }

  /** Removes the previous versions that commit moved aside. Never throws: a leftover is removed by a later run. */
  async discard(): Promise<void> {
    const aside = this.#aside
    this.#aside = []
    await Promise.all(aside.map((p) => rm(p, { force: true }).catch(() => {})))
  }
}

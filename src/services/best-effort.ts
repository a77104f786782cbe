import type { Logger } from '../platform/logger.js'

/**
 * Runs bookkeeping writes inside a `catch` (mark a stage or a target failed, a credential needing a new sign-in):
 * if they fail too (a full disk, a locked database), the failure is logged and swallowed, so the error being
 * handled is the one the user sees.
 */
export async function whileHandling(logger: Logger, original: unknown, what: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write()
  } catch (error) {
    logger.warn(`could not ${what} while handling an error`, {
      error: (error as Error).message,
      original: original instanceof Error ? original.message : String(original),
    })
  }
}

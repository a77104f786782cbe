import { isRecflowError, type RecflowError } from '../../src/domain/errors.js'

/** The RecflowError `p` rejects with; anything else (a resolve, another error) fails the test. */
export async function failure(p: Promise<unknown>): Promise<RecflowError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  if (!isRecflowError(e)) throw new Error(`expected a RecflowError, got ${String(e)}`)
  return e
}

/** The shortest password an account accepts. */
export const MIN_PASSWORD_LENGTH = 10
/** The longest: enough for any passphrase, short enough that hashing it costs nothing extra. */
export const MAX_PASSWORD_LENGTH = 256

const CLASSES: Array<[string, RegExp]> = [
  ['lowercase letters', /\p{Ll}/u],
  ['uppercase letters', /\p{Lu}/u],
  ['digits', /\p{Nd}/u],
  ['symbols or spaces', /[^\p{Ll}\p{Lu}\p{Nd}]/u],
]

/**
 * What is wrong with `password` for the account `email`, one readable sentence each (empty: acceptable).
 * The rules: at least 10 characters, at least two kinds of characters, not the email address or its name part.
 * The messages never repeat the password.
 */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = []
  const length = [...password].length
  if (length < MIN_PASSWORD_LENGTH) problems.push(`the password must have at least ${MIN_PASSWORD_LENGTH} characters (it has ${length})`)
  if (length > MAX_PASSWORD_LENGTH) problems.push(`the password must have at most ${MAX_PASSWORD_LENGTH} characters (it has ${length})`)
  const kinds = CLASSES.filter(([, re]) => re.test(password)).length
  if (length > 0 && kinds < 2) problems.push(`the password must mix at least two of: ${CLASSES.map(([name]) => name).join(', ')}`)
  if (email !== undefined && email !== '') {
    const lowered = password.trim().toLowerCase()
    const address = email.trim().toLowerCase()
    const name = address.split('@')[0] ?? ''
    if (lowered === address || (name.length > 0 && lowered === name)) problems.push('the password must not be your email address')
  }
  return problems
}

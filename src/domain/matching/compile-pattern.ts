import { RE2JS, RE2JSException } from 're2js'
import { validationError } from '../errors.js'

export const MAX_PATTERN_LENGTH = 500

const SYNTAX_HINT =
  'patterns use RE2 syntax (https://github.com/google/re2/wiki/Syntax): no lookaround, no backreferences; ' +
  'write the pattern without /slashes/ and use case_sensitive instead of flags'

/**
 * Compiles a user-supplied pattern on RE2, which matches in linear time, so no title can make matching hang.
 * Throws a validation error that says what is wrong; meant to run when a template or source is saved.
 */
export function compilePattern(pattern: string, caseSensitive: boolean): RE2JS {
  if (pattern.length === 0) {
    throw validationError('invalid pattern "": an empty pattern matches every title', SYNTAX_HINT)
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw validationError(
      `invalid pattern ${shown(pattern)}: longer than ${MAX_PATTERN_LENGTH} characters (${pattern.length})`,
      'split it into several shorter patterns; any of them matching is enough',
    )
  }
  try {
    return RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE)
  } catch (e) {
    if (!(e instanceof RE2JSException)) throw e
    throw validationError(`invalid pattern ${shown(pattern)}: ${explain(pattern, e)}`, SYNTAX_HINT)
  }
}

/** RE2 reports lookaround and backreferences as generic syntax errors; name the unsupported feature instead. */
function explain(pattern: string, e: RE2JSException): string {
  if (/\(\?<?[=!]/.test(pattern)) {
    return 'lookahead and lookbehind assertions ((?=…), (?!…), (?<=…), (?<!…)) are not supported by RE2'
  }
  if (/\\[1-9]|\\k</.test(pattern)) {
    return 'backreferences (\\1, \\k<name>) are not supported by RE2'
  }
  return e.message.replace(/^error parsing regexp:\s*/, '')
}

function shown(pattern: string): string {
  return JSON.stringify(pattern.length > 60 ? `${pattern.slice(0, 57)}...` : pattern)
}

import { validationError } from '../../domain/errors.js'

/**
 * A small glob dialect for local sources, over '/'-separated paths relative to the source folder:
 *   `*`  any run of characters within one path segment     `?`  one character within a segment
 *   `**` as a whole segment: zero or more segments (so `**` then `/x.mp4` also matches a top-level x.mp4)
 *   `{a,b}` either alternative (may nest)                   `\x` the character x literally
 * Everything else is literal (no [classes]). Matching ignores case, because recorders and cameras write
 * `.MP4` as often as `.mp4`. A glob without `/` matches the file name at any depth, as in .gitignore.
 */
export function globToRegExp(glob: string): RegExp {
  let out = ''
  let depth = 0
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atSegmentStart = i === 0 || glob[i - 1] === '/'
        const next = glob[i + 2]
        if (atSegmentStart && next === '/') {
          out += '(?:[^/]*/)*'
          i += 2
        } else if (atSegmentStart && next === undefined) {
          out += '.*'
          i += 1
        } else {
          // `a**b` is not a segment wildcard; read it like `a*b`.
          out += '[^/]*'
          i += 1
        }
      } else {
        out += '[^/]*'
      }
    } else if (c === '?') {
      out += '[^/]'
    } else if (c === '{') {
      depth++
      out += '(?:'
    } else if (c === '}' && depth > 0) {
      depth--
      out += ')'
    } else if (c === ',' && depth > 0) {
      out += '|'
    } else if (c === '\\' && i + 1 < glob.length) {
      i++
      out += escapeRegExp(glob[i] as string)
    } else {
      out += escapeRegExp(c)
    }
  }
  if (depth > 0) {
    throw validationError(`invalid glob ${JSON.stringify(glob)}: a "{" is never closed`, 'write alternatives as {mp4,m4a}')
  }
  return new RegExp(`^${out}$`, 'i')
}

/** A predicate over relative paths ('/'-separated) that applies the "no slash: match the name" rule. */
export function compileGlob(glob: string): (relPath: string) => boolean {
  const trimmed = glob.trim().replace(/^\.\//, '')
  if (trimmed === '') throw validationError('invalid glob "": it would match nothing', 'e.g. "**/*.mp4"')
  const re = globToRegExp(trimmed)
  if (!trimmed.includes('/')) return (relPath) => re.test(relPath.slice(relPath.lastIndexOf('/') + 1))
  return (relPath) => re.test(relPath)
}

function escapeRegExp(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c
}

import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../../..')

/** Command ids from the command files: commands/templates/add.ts -> "templates add". */
function commandIds(): Set<string> {
  const dir = path.join(ROOT, 'commands')
  return new Set(
    (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3).split(path.sep).join(' ')),
  )
}

function sources(): Array<{ file: string; text: string }> {
  return ['src', 'commands'].flatMap((d) =>
    (fs.readdirSync(path.join(ROOT, d), { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => ({ file: path.join(d, f), text: fs.readFileSync(path.join(ROOT, d, f), 'utf8') })),
  )
}

describe('hints and messages', () => {
  // A hint that names a command that does not exist sends the user nowhere (`credentials add` before credentials).
  it('name only commands that exist', () => {
    const ids = commandIds()
    const topics = new Set([...ids].filter((id) => id.includes(' ')).map((id) => id.split(' ')[0]!))
    const wrong: string[] = []
    for (const { file, text } of sources()) {
      for (const m of text.matchAll(/`recflow ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)) {
        // A template literal that starts with the word recflow (`recflow cannot write…`) is a sentence, not a hint.
        if (/[(,]\s*$/.test(text.slice(Math.max(0, m.index - 3), m.index))) continue
        const [first, second] = [m[1]!, m[2]]
        // `recflow auth ${platform}`: a topic whose command is interpolated; the topic must have commands.
        const interpolated = second === undefined && text.startsWith(' ${', m.index + m[0].length)
        const ok = topics.has(first) ? interpolated || (second !== undefined && ids.has(`${first} ${second}`)) : ids.has(first)
        if (!ok) wrong.push(`${file}: ${m[0]}`)
      }
    }
    expect(wrong).toEqual([])
  })
})

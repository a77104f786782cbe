import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { usageError } from '../domain/errors.js'

const MAX_BYTES = 1024 * 1024

/** Reads a JSON or YAML document given with `--file` (`-` = stdin). Errors say which file and where. */
export function readStructuredFile(file: string, readStdin: () => string = () => fs.readFileSync(0, 'utf8')): unknown {
  let text: string
  if (file === '-') {
    text = readStdin()
  } else {
    let stat: fs.Stats
    try {
      stat = fs.statSync(file)
    } catch {
      throw usageError(`cannot read ${file}: no such file`, 'check the path given with --file')
    }
    if (!stat.isFile()) throw usageError(`cannot read ${file}: not a regular file`, 'give a .json, .yaml or .yml file')
    if (stat.size > MAX_BYTES) throw usageError(`${file} is larger than 1 MiB`, 'a resource file should be a few KiB')
    text = fs.readFileSync(file, 'utf8')
  }
  const ext = path.extname(file).toLowerCase()
  if (ext === '.json') return parseJson(file, text)
  try {
    // YAML 1.2 is a superset of JSON, so one parser covers .yaml, .yml and stdin.
    const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true })
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!
      const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : ''
      throw usageError(`${file} is not valid YAML${where}: ${e.message.split('\n')[0]}`, 'fix the file and try again')
    }
    return doc.toJS()
  } catch (e) {
    if ((e as { code?: string }).code === 'usage') throw e
    throw usageError(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`)
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw usageError(`${file} is not valid JSON: ${(e as Error).message}`, 'fix the file and try again')
  }
}

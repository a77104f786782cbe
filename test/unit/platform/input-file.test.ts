import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readStructuredFile } from '../../../src/platform/input-file.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-input-'))
const write = (name: string, text: string) => {
  const p = path.join(dir, name)
  fs.writeFileSync(p, text)
  return p
}

describe('readStructuredFile', () => {
  it('reads JSON and YAML', () => {
    expect(readStructuredFile(write('a.json', '{"name":"x","n":[1,2]}'))).toEqual({ name: 'x', n: [1, 2] })
    expect(readStructuredFile(write('a.yaml', 'name: x\nn:\n  - 1\n  - 2\n'))).toEqual({ name: 'x', n: [1, 2] })
  })

  it('reads stdin for -', () => {
    expect(readStructuredFile('-', () => 'a: 1')).toEqual({ a: 1 })
  })

  it('says where a YAML file is broken', () => {
    expect(() => readStructuredFile(write('bad.yaml', 'name: x\n  bad: [1,\n'))).toThrow(/not valid YAML at line \d+/)
  })

  it('rejects duplicate keys, a missing file and a directory with usage errors', () => {
    expect(() => readStructuredFile(write('dup.yaml', 'a: 1\na: 2\n'))).toThrow(/not valid YAML/)
    expect(() => readStructuredFile(path.join(dir, 'missing.json'))).toThrow(/no such file/)
    expect(() => readStructuredFile(dir)).toThrow(/not a regular file/)
    expect(() => readStructuredFile(write('bad.json', '{"a":'))).toThrow(/not valid JSON/)
  })
})

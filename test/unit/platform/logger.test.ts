import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { rotatingLogWriter } from '../../../src/platform/log-rotation.js'
import { createJsonLogger } from '../../../src/platform/logger.js'

describe('the JSON logger', () => {
  it('writes one object per line: time, level, msg first, then the fields with secrets redacted', () => {
    const lines: string[] = []
    const log = createJsonLogger('info', (l) => lines.push(l))
    log.info('request', { path: '/api/v1/auth/login', headers: { authorization: 'Bearer abc.def' }, password: 'hunter2', refresh_token: 'r1', user: { id: 3 } })
    log.debug('hidden below info')
    log.warn('overrides ignored', { msg: 'not mine', level: 'debug', time: 'never' })
    expect(lines).toHaveLength(2)
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true)
    const first = JSON.parse(lines[0]!)
    expect(Object.keys(first).slice(0, 3)).toEqual(['time', 'level', 'msg'])
    expect(first).toMatchObject({ level: 'info', msg: 'request', path: '/api/v1/auth/login', headers: { authorization: '[redacted]' }, password: '[redacted]', refresh_token: '[redacted]', user: { id: 3 } })
    expect(lines[0]).not.toMatch(/abc\.def|hunter2|"r1"/)
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'warn', msg: 'overrides ignored' })
    expect(Date.parse(JSON.parse(lines[1]!).time)).not.toBeNaN()
  })
})

describe('the rotating log writer', () => {
  it('rotates the file when a write would take it past the limit, keeping the newest files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-log-'))
    try {
      const log = path.join(dir, 'daemon.log')
      const w = rotatingLogWriter(log, 100, 2)
      for (let i = 0; i < 10; i++) w.write(`${String(i).padStart(39, '-')}\n`) // 40 bytes: two lines a file
      w.close()
      expect(fs.readFileSync(log, 'utf8')).toBe(`${'8'.padStart(39, '-')}\n${'9'.padStart(39, '-')}\n`)
      expect(fs.readFileSync(`${log}.1`, 'utf8')).toContain('-7\n')
      expect(fs.readFileSync(`${log}.2`, 'utf8')).toContain('-5\n')
      expect(fs.existsSync(`${log}.3`)).toBe(false)
      expect(fs.statSync(log).mode & 0o777).toBe(0o600)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

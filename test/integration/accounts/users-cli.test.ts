import { Readable } from 'node:stream'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { openTestApp } from '../../support/test-app.js'

// `recflow users ...` in-process on dist/ (build first). Cheap scrypt so a created password costs ~1 ms.
let home: string
const cli = (args: string[], stdin?: string) =>
  runCommandInProcess(args, { home, env: { RECFLOW_SCRYPT_LOG_N: '10' }, ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }) })

beforeAll(() => {
  home = tempHome()
})
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

describe('recflow users', () => {
  it('creates users with a generated or a piped password, lists them and changes plans with history', async () => {
    const generated = await cli(['users', 'create', 'Ann@Example.edu', '--name', 'Ann', '--json'])
    expect(generated.code).toBe(0)
    const ann = generated.json.data
    expect(ann.user).toMatchObject({ email: 'ann@example.edu', role: 'user', plan: 'free', full_name: 'Ann' })
    expect(ann.generated_password).toMatch(/^[\w-]{27}$/)
    expect(fs.statSync(path.join(home, 'data', 'media', `user_${ann.user.id}`)).isDirectory()).toBe(true)

    const piped = await cli(['users', 'create', 'boss@example.edu', '--admin', '--plan', 'pro', '--password-stdin'], 'Sup3r secret pw\n')
    expect(piped.code).toBe(0)
    expect(piped.stdout).toMatch(/Created user \d+ boss@example.edu \(admin, plan pro\)\./)
    expect(piped.stdout + piped.stderr).not.toMatch(/Sup3r|Initial password/)

    const weak = await cli(['users', 'create', 'carl@example.edu', '--password-stdin'], 'short\n')
    expect(weak.code).toBe(2)
    expect(weak.stderr).toMatch(/at least 10 characters/)
    expect((await cli(['users', 'create', 'ANN@example.edu'])).stderr).toMatch(/already exists/)
    const badPlan = await cli(['users', 'create', 'dora@example.edu', '--plan', 'gold'])
    expect(badPlan.code).toBe(3)
    expect(badPlan.stderr).toMatch(/plan gold not found[\s\S]*free, plus, pro, enterprise/)

    const list = await cli(['users', 'list', '--json'])
    expect(list.json.data.items.map((u: { email: string; plan: string }) => [u.email, u.plan])).toEqual([
      ['local@recflow', 'enterprise'],
      ['ann@example.edu', 'free'],
      ['boss@example.edu', 'pro'],
    ])
    expect(JSON.stringify(list.json)).not.toMatch(/password/)
    expect((await cli(['users', 'list'])).stdout).toMatch(/ann@example\.edu\s+Ann\s+user\s+free\s+yes/)

    const moved = await cli(['users', 'set-plan', 'ann@example.edu', 'plus', '--note', 'course started'])
    expect(moved.stdout).toMatch(/plan free -> plus \(recorded in the quota history\)/)
    expect((await cli(['users', 'set-plan', String(ann.user.id), 'plus'])).stdout).toMatch(/already on plan plus; nothing changed/)
    expect((await cli(['users', 'set-plan', 'nobody@example.edu', 'pro'])).code).toBe(3)

    const app = await openTestApp(home)
    try {
      const history = await app.database.db.selectFrom('quota_change_history').selectAll().where('user_id', '=', ann.user.id).execute()
      expect(history.map((h) => [h.change_type, JSON.parse(h.old_value!), JSON.parse(h.new_value!), h.changed_by, h.notes])).toEqual([
        ['plan', { plan: 'free' }, { plan: 'plus' }, app.localUser.id, 'course started'],
      ])
    } finally {
      await app.close()
    }
  })
})

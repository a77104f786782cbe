import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'
import { ZOOM_TRASH_KEY } from '../../../src/domain/zoom/trash-record.js'
import { tempHome, type CliResult } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { openTestApp } from '../../support/test-app.js'

// Through oclif in-process on dist/ (test/support/run-in-process.ts): build first (`npm test` does).

const TOKEN = 'zmWebhookSECRET0123456789'

let home: string
const printed: string[] = []
const cli = async (args: string[], stdin?: string): Promise<CliResult> => {
  const r = await runCommandInProcess(args, { home, env: { RECFLOW_LOG_LEVEL: 'debug' }, ...(stdin !== undefined ? { stdin: Readable.from([stdin]) } : {}) })
  printed.push(r.stdout, r.stderr)
  return r
}

beforeAll(() => {
  home = tempHome()
})
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true })
})

describe('zoom-webhook credential and zoom_after_archive through the CLI', () => {
  it('stores the webhook secret token from stdin, in the secret store only, and never prints it', async () => {
    const added = await cli(['credentials', 'add', 'zoom-webhook', '--json'], `${TOKEN}\n`)
    expect(added.code, added.stderr).toBe(0)
    expect(added.json.data).toMatchObject({ kind: 'zoom-webhook', name: 'zoom-webhook', store: 'encrypted-file' })
    const text = await cli(['credentials', 'add', 'zoom-webhook', '--name', 'second-app', '--secret-token', 'other-app-token-42'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain('Zoom webhook deliveries signed with this secret token are now accepted.')
    expect(text.stdout).not.toContain('credentials test')
    expect((await cli(['credentials', 'list'])).stdout).toMatch(/zoom-webhook\s+second-app/)
    const db = fs.readFileSync(path.join(home, 'data', 'recflow.db'))
    expect(db.includes(TOKEN)).toBe(false)
    expect(printed.join('\n')).not.toContain(TOKEN)
  })

  it('refuses the API-key flags for a webhook token, and --secret-token for an API key (exit 2, nothing stored)', async () => {
    const before = (await cli(['credentials', 'list', '--json'])).json.data.length
    expect((await cli(['credentials', 'add', 'zoom-webhook', '--api-key', TOKEN])).code).toBe(2)
    expect((await cli(['credentials', 'add', 'zoom-webhook', '--base-url', 'http://x'], TOKEN)).code).toBe(2)
    expect((await cli(['credentials', 'add', 'deepseek', '--secret-token', TOKEN])).code).toBe(2)
    expect((await cli(['credentials', 'add', 'zoom-webhook', '--secret-token', 'two words'])).code).toBe(2)
    expect((await cli(['credentials', 'list', '--json'])).json.data.length).toBe(before)
    expect(printed.join('\n')).not.toContain(TOKEN)
  })

  it('sets zoom_after_archive on a template with --zoom-after-archive, keeping its presets', async () => {
    const added = await cli(['templates', 'add', 'Math', '--keyword', 'Math', '--zoom-after-archive', 'trash', '--json'])
    expect(added.code, added.stderr).toBe(0)
    expect(added.json.data.output_config).toEqual({ preset_ids: [], zoom_after_archive: 'trash' })
    const id = added.json.data.id
    expect((await cli(['templates', 'edit', String(id), '--zoom-after-archive', 'keep', '--json'])).json.data.output_config).toEqual({
      preset_ids: [],
      zoom_after_archive: 'keep',
    })
    const refused = await cli(['templates', 'edit', String(id), '--zoom-after-archive', 'delete'])
    expect(refused.code).toBe(2)
  })

  it('recordings show tells that the Zoom cloud copy went to the trash', async () => {
    const app = await openTestApp(home)
    try {
      const scope = forUser(app.database.db, app.localUser.id)
      const rec = await scope.recordings.create({ display_name: 'Math 1', start_time: '2026-03-02T09:00:00Z', status: 'READY' })
      await scope.sourceMetadata.set(rec.id, {
        metadata: { kind: 'zoom_meeting', meeting_uuid: 'abc==', [ZOOM_TRASH_KEY]: { result: 'trashed', action: 'trash', meeting_uuid: 'abc==', at: '2026-03-02T12:00:00.000Z' } },
      })
      const shown = await cli(['recordings', 'show', String(rec.id)])
      expect(shown.code, shown.stderr).toBe(0)
      expect(shown.stdout).toMatch(/zoom cloud copy:\s+moved to Zoom's trash at 2026-03-02T12:00:00.000Z/)
      const json = await cli(['recordings', 'show', String(rec.id), '--json'])
      expect(json.json.data.zoom_trash).toMatchObject({ result: 'trashed', meeting_uuid: 'abc==' })
    } finally {
      await app.close()
    }
  })
})

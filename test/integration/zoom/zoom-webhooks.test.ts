import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import { isRecflowError } from '../../../src/domain/errors.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { downloadTokenSecretName, webhookDownloadToken } from '../../../src/services/zoom-webhooks/download-token.js'
import { zoomWebhookSender } from '../../fakes/zoom-webhook-sender.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { dbSnapshot } from '../../support/db-snapshot.js'

const SECRET = 'wh-SECRET-token-9f8e7d6c5b4a'
const MEETING = { uuid: '/ajXp112QmuoKj4854875==', id: 6840331990, host_id: 'host-1', host_email: 'teacher@example.edu', topic: 'Math 5' }

let home: string
let app: App
let now = new Date('2026-03-02T10:00:00Z')
const zoom = zoomWebhookSender(SECRET, () => now)
const scope = () => forUser(app.database.db, app.localUser.id)
const webhooks = () => app.service('zoomWebhooks')
const secretsFile = () => path.join(home, 'config', 'secrets.enc.json')
const state = () => `${dbSnapshot(app.env.dbPath)}\n${fs.existsSync(secretsFile()) ? fs.readFileSync(secretsFile(), 'utf8') : ''}`
const refused = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err)
  if (!isRecflowError(e)) throw new Error(`expected a refusal, got ${String(e)}`)
  return e
}

beforeAll(async () => {
  home = makeTempDir()
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), {
    logger: silentLogger,
    clock: { now: () => now },
  })
})
afterAll(async () => {
  await app?.close()
  removeDir(home)
})

describe('Zoom webhook service', () => {
  it('refuses every delivery, changing nothing, while no secret token is stored', async () => {
    const before = state()
    const e = await refused((await webhooks()).receive(app.localUser, zoom.urlValidation()))
    expect(e.code).toBe('auth')
    expect(e.hint).toContain('recflow credentials add zoom-webhook')
    expect(state()).toBe(before)
  })

  it('keeps the secret token in the secret store only: the row holds a reference', async () => {
    const credentials = await app.service('credentials')
    const added = await credentials.add(app.localUser, { kind: 'zoom-webhook', apiKey: `${SECRET}\n` })
    expect(added).toMatchObject({ kind: 'zoom-webhook', name: 'zoom-webhook', store: 'encrypted-file' })
    expect(JSON.stringify(added)).not.toContain(SECRET)
    const row = await scope().credentials.get(added.id)
    expect(JSON.parse(row!.encrypted_data)).toEqual({ secret: expect.stringMatching(/^api-key\/\d+\//), base_url: null })
    expect(fs.readFileSync(app.env.dbPath).includes(SECRET)).toBe(false)
    // A token with spaces (a pasted sentence) is refused and not echoed.
    const bad = await refused(credentials.add(app.localUser, { kind: 'zoom-webhook', apiKey: 'two words' }))
    expect(bad.code).toBe('usage')
    expect(bad.message).not.toContain('two words')
  })

  it('answers endpoint.url_validation with the plain token and its HMAC under the secret token', async () => {
    const delivery = zoom.urlValidation('qgg8vlvZRS6UYooatFL8Aw')
    const result = await (await webhooks()).receive(app.localUser, delivery)
    expect(result).toEqual({
      event: 'endpoint.url_validation',
      body: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: zoom.expectedEncryptedToken('qgg8vlvZRS6UYooatFL8Aw') },
    })
  })

  it('refuses a forged, replayed, tampered or unsigned delivery and changes nothing', async () => {
    const source = await scope().sources.create({ name: 'zoom-main', platform: 'zoom', config: {} })
    const before = state()
    const good = zoom.recordingCompleted(MEETING)
    const forged = zoom.recordingCompleted(MEETING, { secret: 'an-attacker-guess' })
    const replayed = zoom.recordingCompleted(MEETING, { timestamp: Math.floor(now.getTime() / 1000) - 301 })
    const tampered = { ...good, rawBody: good.rawBody.replace('Math 5', 'Math 6') }
    const unsigned = { headers: { 'content-type': 'application/json' }, rawBody: good.rawBody }
    // An unsigned url_validation would turn the endpoint into a signing oracle: refused too.
    const oracle = zoom.urlValidation(`v0:${Math.floor(now.getTime() / 1000)}:${good.rawBody}`, { secret: 'an-attacker-guess' })
    for (const delivery of [forged, replayed, tampered, unsigned, oracle]) {
      const e = await refused((await webhooks()).receive(app.localUser, delivery))
      expect(e.code).toBe('auth')
      expect(`${e.message} ${e.hint}`).not.toContain(SECRET)
    }
    expect(state()).toBe(before)
    await scope().sources.remove(source.id)
  })

  it('queues a sync of just that meeting on the Zoom source, with the download token in the secret store only', async () => {
    const source = await scope().sources.create({ name: 'lectures', platform: 'zoom', config: { users: ['teacher@example.edu'] } })
    await scope().sources.create({ name: 'other-host', platform: 'zoom', config: { users: ['someone@else.org'] } })
    await scope().sources.create({ name: 'folder', platform: 'local', config: { path: home } })
    const delivery = zoom.recordingCompleted(MEETING, { downloadToken: 'dl-TOKEN-abcdef123456' })
    const result = await (await webhooks()).receive(app.localUser, delivery)
    expect(result).toMatchObject({ event: 'recording.completed', body: { ok: true }, meetingUuid: MEETING.uuid, queued: [{ sourceId: source.id, created: true }] })
    if (result.event !== 'recording.completed' || !('queued' in result)) throw new Error('unreachable')
    const task = await scope().tasks.get(result.queued[0]!.taskId)
    expect(task).toMatchObject({ type: 'sync', state: 'pending', payload: { sourceIds: [source.id], zoomMeetingUuid: MEETING.uuid } })
    expect(fs.readFileSync(app.env.dbPath).includes('dl-TOKEN-abcdef123456')).toBe(false)
    expect(dbSnapshot(app.env.dbPath)).not.toContain('dl-TOKEN-abcdef123456')
    expect(await webhookDownloadToken({ secrets: () => secretsOf(app), clock: { now: () => now } }, app.localUser, MEETING.uuid)).toBe('dl-TOKEN-abcdef123456')

    // Zoom retries a delivery it thinks failed: the same pending task is reused.
    const again = await (await webhooks()).receive(app.localUser, zoom.recordingCompleted(MEETING, { downloadToken: 'dl-TOKEN-newer-7890' }))
    expect(again).toMatchObject({ queued: [{ taskId: result.queued[0]!.taskId, created: false }] })
  })

  it('expires the download token after a day', async () => {
    const deps = { secrets: () => secretsOf(app), clock: { now: () => new Date(now.getTime() + 24 * 3600_000) } }
    expect(await webhookDownloadToken(deps, app.localUser, MEETING.uuid)).toBeUndefined()
    expect(await (await secretsOf(app)).get(downloadTokenSecretName(app.localUser.id, MEETING.uuid))).toBeUndefined()
  })

  it('answers 200 and queues nothing for a meeting no Zoom source covers, and for other events', async () => {
    const stranger = { ...MEETING, uuid: 'stranger==', host_email: 'nobody@else.org', host_id: 'h-9' }
    const before = dbSnapshot(app.env.dbPath)
    const r = await (await webhooks()).receive(app.localUser, zoom.recordingCompleted(stranger))
    expect(r).toMatchObject({ event: 'recording.completed', queued: [], note: expect.stringContaining('no active Zoom source') })
    const other = await (await webhooks()).receive(app.localUser, zoom.deliver({ event: 'recording.started', payload: { object: {} } }))
    expect(other).toEqual({ event: 'recording.started', body: { ok: true }, ignored: true })
    expect(dbSnapshot(app.env.dbPath)).toBe(before)
  })

  it('refuses a signed body that is not a valid event (usage), changing nothing', async () => {
    const before = state()
    for (const body of ['not json', { event: 'recording.completed', payload: { object: { id: 1 } } }, { event: 'endpoint.url_validation', payload: {} }]) {
      const e = await refused((await webhooks()).receive(app.localUser, zoom.deliver(body)))
      expect(e.code).toBe('usage')
    }
    expect(state()).toBe(before)
  })

  it('removing the zoom-webhook credential deletes its token from the secret store; deliveries are refused again', async () => {
    const credentials = await app.service('credentials')
    const [row] = (await credentials.list(app.localUser)).filter((c) => c.kind === 'zoom-webhook')
    const secret = JSON.parse((await scope().credentials.get(row!.id))!.encrypted_data).secret as string
    expect(await (await secretsOf(app)).get(secret)).toBe(SECRET)
    expect(await credentials.remove(app.localUser, row!.id)).toMatchObject({ removed: true, key_deleted: true })
    expect(await (await secretsOf(app)).get(secret)).toBeUndefined()
    expect((await refused((await webhooks()).receive(app.localUser, zoom.urlValidation()))).code).toBe('auth')
  })
})

/** The app's secret store, as services reach it. */
async function secretsOf(a: App) {
  const { openSecretStore } = await import('../../../src/platform/secrets.js')
  return openSecretStore({ preference: a.env.secretStore, configDir: a.env.configDir, platform: a.env.platform })
}

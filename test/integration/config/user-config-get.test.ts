import { describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'

/** `config get` answers from the plain defaults table only while nothing is stored; everything else is checked. */
import { useTestApp } from '../../support/test-app.js'

const t = useTestApp()

const user = () => t.app.localUser
const storeLayer = (layer: Record<string, unknown>) => forUser(t.app.database.db, user().id).configs.set(layer)
const errorOf = (p: Promise<unknown>) => p.then(() => new Error('expected an error'), (e: unknown) => e)

describe('config get', () => {
  it('gives the default of a key nobody set, and still rejects unknown keys, sections and deeper paths', async () => {
    await storeLayer({})
    const config = await t.app.service('config')
    expect(await config.get(user(), 'processing.padding_before')).toEqual({ path: 'processing.padding_before', value: 5, source: 'default' })
    expect(await config.get(user(), 'subtitles.formats')).toEqual({ path: 'subtitles.formats', value: ['srt', 'vtt'], source: 'default' })
    expect(await config.get(user(), 'transcription.provider')).toEqual({ path: 'transcription.provider', value: null, source: 'default' })
    expect(await errorOf(config.get(user(), 'processing.nope'))).toMatchObject({ code: 'validation', message: expect.stringContaining('unknown key "nope" in processing') })
    expect(await errorOf(config.get(user(), 'processing'))).toMatchObject({ code: 'usage' })
    expect(await errorOf(config.get(user(), 'processing.padding_before.x'))).toMatchObject({ code: 'usage' })
  })

  it('reports a malformed stored layer, whichever key is asked for', async () => {
    await storeLayer({ processing: { padding_before: 'lots' } })
    const config = await t.app.service('config')
    for (const path of ['processing.padding_before', 'topics.granularity']) {
      const error = await errorOf(config.get(user(), path))
      expect(error).toMatchObject({ code: 'validation', message: expect.stringMatching(/^invalid user config: processing\.padding_before/) })
    }
    await storeLayer({})
  })

  it('gives a stored value with its layer', async () => {
    const config = await t.app.service('config')
    await config.set(user(), 'processing.padding_before', '2.5')
    expect(await config.get(user(), 'processing.padding_before')).toEqual({ path: 'processing.padding_before', value: 2.5, source: 'user' })
    expect(await config.get(user(), 'processing.padding_after')).toEqual({ path: 'processing.padding_after', value: 5, source: 'default' })
    await config.reset(user())
  })
})

import { afterAll, describe, expect, it } from 'vitest'
import { cliData, E2E_TIMEOUT, initHome, removeTempHomes, runCli } from './helpers.js'

/** `config show | get | set | unset | reset`: every value written is visible, with its layer, in show and get. */

const set = (home: string, path: string, value: string) => cliData(home, ['config', 'set', path, value])


afterAll(removeTempHomes)
describe('config through the CLI', { timeout: E2E_TIMEOUT }, () => {
  it('shows the built-in defaults, as text, as JSON and with the layer of every value', async () => {
    const home = await initHome()
    const [text, json, layers] = await Promise.all([
      runCli(['config', 'show'], { home }),
      cliData(home, ['config', 'show']),
      cliData(home, ['config', 'show', '--layers']),
    ])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^processing\.padding_before\s+= 5$/m)
    expect(text.stdout).toMatch(/^subtitles\.formats\s+= \["srt","vtt"\]$/m)
    expect(json.config.processing).toMatchObject({ padding_before: 5, trim_mode: 'edges', enabled: true })
    expect(json).not.toHaveProperty('sources')
    expect(layers.config).toEqual(json.config)
    expect(layers.stored).toEqual({})
    expect(new Set(Object.values(layers.sources))).toEqual(new Set(['default']))
    expect(Object.keys(layers.sources)).toContain('metadata.timezone')
  })

  it('sets a number, an enum, a list, a boolean and null, and show and get report them as yours', async () => {
    const home = await initHome()
    expect(await set(home, 'processing.padding_before', '2.5')).toEqual({ path: 'processing.padding_before', value: 2.5, source: 'user' })
    expect(await set(home, 'processing.trim_mode', 'pauses')).toMatchObject({ value: 'pauses', source: 'user' })
    expect(await set(home, 'subtitles.formats', 'vtt')).toMatchObject({ value: ['vtt'] })
    expect(await set(home, 'transcription.vocabulary', '["Kubernetes","gRPC"]')).toMatchObject({ value: ['Kubernetes', 'gRPC'] })
    expect(await set(home, 'topics.enabled', 'false')).toMatchObject({ value: false, source: 'user' })
    expect(await set(home, 'transcription.language', 'pt-BR')).toMatchObject({ value: 'pt-BR', source: 'user' })
    // null means "inherit": the default shows through again.
    expect(await set(home, 'transcription.language', 'null')).toEqual({ path: 'transcription.language', value: null, source: 'default' })

    const [layers, text, get] = await Promise.all([
      cliData(home, ['config', 'show', '--layers']),
      runCli(['config', 'show', '--layers'], { home }),
      cliData(home, ['config', 'get', 'transcription.vocabulary']),
    ])
    expect(layers.config).toMatchObject({
      processing: { padding_before: 2.5, trim_mode: 'pauses', padding_after: 5 },
      subtitles: { formats: ['vtt'] },
      transcription: { vocabulary: ['Kubernetes', 'gRPC'], language: null },
      topics: { enabled: false },
    })
    expect(layers.sources).toMatchObject({
      'processing.padding_before': 'user',
      'processing.trim_mode': 'user',
      'processing.padding_after': 'default',
      'subtitles.formats': 'user',
      'topics.enabled': 'user',
      'transcription.language': 'default',
    })
    expect(layers.stored).toMatchObject({ processing: { padding_before: 2.5, trim_mode: 'pauses' }, transcription: { language: null } })
    expect(text.stdout).toMatch(/^processing\.padding_before\s+= 2\.5\s+\(user\)$/m)
    expect(text.stdout).toMatch(/^processing\.padding_after\s+= 5\s+\(default\)$/m)
    expect(get).toEqual({ path: 'transcription.vocabulary', value: ['Kubernetes', 'gRPC'], source: 'user' })
  })

  it('takes a list as commas, and the empty JSON list', async () => {
    const home = await initHome()
    expect(await set(home, 'metadata.tags', 'lecture,{start_time:YYYY}')).toMatchObject({ value: ['lecture', '{start_time:YYYY}'] })
    expect(await set(home, 'transcription.vocabulary', '[]')).toMatchObject({ value: [], source: 'user' })
  })

  it('sets upload.preset_ids to a preset of yours', async () => {
    const home = await initHome()
    const preset = await cliData(home, ['presets', 'add', 'Archive', '--platform', 'local', '--destination', home])
    expect(await set(home, 'upload.preset_ids', String(preset.id))).toMatchObject({ value: [preset.id], source: 'user' })
  })

  it('unsets a value so the default applies again, and leaves the others', async () => {
    const home = await initHome()
    await set(home, 'processing.padding_before', '1')
    await set(home, 'processing.padding_after', '7')
    expect(await cliData(home, ['config', 'unset', 'processing.padding_before'])).toEqual({
      path: 'processing.padding_before',
      value: 5,
      source: 'default',
    })
    const [get, layers, text] = await Promise.all([
      cliData(home, ['config', 'get', 'processing.padding_before']),
      cliData(home, ['config', 'show', '--layers']),
      runCli(['config', 'get', 'processing.padding_after'], { home }),
    ])
    expect(get).toEqual({ path: 'processing.padding_before', value: 5, source: 'default' })
    expect(layers.stored).toEqual({ processing: { padding_after: 7 } })
    expect(text.stdout.trim()).toBe('7  (user)')
  })

  it('resets every value to the defaults', async () => {
    const home = await initHome()
    const defaults = await cliData(home, ['config', 'show'])
    await set(home, 'processing.trim_mode', 'pauses')
    await set(home, 'metadata.timezone', 'Europe/Berlin')
    const reset = await cliData(home, ['config', 'reset'])
    expect(reset).toEqual(defaults)
    const layers = await cliData(home, ['config', 'show', '--layers'])
    expect(layers.stored).toEqual({})
    expect(layers.config).toEqual(defaults.config)
  })
})

import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadRuntimeEnv } from '../../../src/platform/config.js'

describe('loadRuntimeEnv', () => {
  it('puts config and data under RECFLOW_HOME when it is set', () => {
    const env = loadRuntimeEnv({ RECFLOW_HOME: '/tmp/rf', HOME: '/home/u' }, 'linux')
    expect(env.configDir).toBe(path.resolve('/tmp/rf/config'))
    expect(env.dataDir).toBe(path.resolve('/tmp/rf/data'))
    expect(env.dbPath).toBe(path.resolve('/tmp/rf/data/recflow.db'))
    expect(env.mediaDir).toBe(path.resolve('/tmp/rf/data/media'))
  })

  it('follows XDG dirs without RECFLOW_HOME', () => {
    const env = loadRuntimeEnv({ HOME: '/home/u', XDG_CONFIG_HOME: '/cfg' }, 'linux')
    expect(env.configDir).toBe('/cfg/recflow')
    expect(env.dataDir).toBe('/home/u/.local/share/recflow')
  })

  it('takes every service base URL from its environment variable, without a trailing slash', () => {
    const env = loadRuntimeEnv({
      HOME: '/h',
      RECFLOW_ZOOM_API_URL: 'http://127.0.0.1:9001/v2/',
      RECFLOW_YOUTUBE_API_URL: 'http://127.0.0.1:9002',
      RECFLOW_LLM_URL: 'http://127.0.0.1:9003',
    })
    expect(env.urls.zoomApi).toBe('http://127.0.0.1:9001/v2')
    expect(env.urls.youtubeApi).toBe('http://127.0.0.1:9002')
    expect(env.urls.llm).toBe('http://127.0.0.1:9003')
    expect(env.urls.vkApi).toBe('https://api.vk.com/method')
  })

  it('refuses unknown enum values, naming the variable and what it takes', () => {
    expect(() => loadRuntimeEnv({ HOME: '/h', RECFLOW_LOG_LEVEL: 'loud' })).toThrow(/RECFLOW_LOG_LEVEL must be error, warn, info or debug, not "loud"/)
    expect(() => loadRuntimeEnv({ HOME: '/h', RECFLOW_SECRET_STORE: 'bogus' })).toThrow(/RECFLOW_SECRET_STORE must be auto, keychain or file/)
    expect(loadRuntimeEnv({ HOME: '/h' })).toMatchObject({ logLevel: 'warn', secretStore: 'auto' })
  })
})

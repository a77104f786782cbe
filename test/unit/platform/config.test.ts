import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProcessRuntimeEnv, loadRuntimeEnv } from '../../../src/platform/config.js'

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
    expect(() => loadRuntimeEnv({ HOME: '/h', RECFLOW_SECRET_STORE: 'bogus' })).toThrow(/RECFLOW_SECRET_STORE must be auto, keychain, file or database/)
    expect(loadRuntimeEnv({ HOME: '/h' })).toMatchObject({ logLevel: 'warn', secretStore: 'auto' })
  })
})

describe('the daemon secret store default and the web sign-in settings', () => {
  it('defaultSecretStore applies only while RECFLOW_SECRET_STORE is unset', () => {
    const saved = process.env.RECFLOW_SECRET_STORE
    try {
      delete process.env.RECFLOW_SECRET_STORE
      expect(loadProcessRuntimeEnv({ defaultSecretStore: 'database' }).secretStore).toBe('database')
      expect(loadProcessRuntimeEnv().secretStore).toBe('auto')
      process.env.RECFLOW_SECRET_STORE = 'file'
      expect(loadProcessRuntimeEnv({ defaultSecretStore: 'database' }).secretStore).toBe('file')
    } finally {
      if (saved === undefined) delete process.env.RECFLOW_SECRET_STORE
      else process.env.RECFLOW_SECRET_STORE = saved
    }
  })

  it('reads the OAuth apps, the public URL and the return URL', () => {
    const env = loadRuntimeEnv({ RECFLOW_YOUTUBE_CLIENT_ID: 'yt-id', RECFLOW_YOUTUBE_CLIENT_SECRET: 'yt-secret', RECFLOW_VK_CLIENT_ID: 'vk-id', RECFLOW_PUBLIC_URL: 'https://rec.example.org/' })
    expect(env.webOAuth).toEqual({
      clients: { youtube: { clientId: 'yt-id', clientSecret: 'yt-secret' }, vk: { clientId: 'vk-id', clientSecret: null } },
      publicUrl: 'https://rec.example.org',
      returnUrl: 'https://rec.example.org/',
    })
    expect(loadRuntimeEnv({ RECFLOW_SECRET_STORE: 'database' }).secretStore).toBe('database')
  })
})

import type { Clock } from '../platform/clock.js'
import type { ServiceUrls } from '../platform/config.js'
import type { Logger } from '../platform/logger.js'
import type { VkPublishRequest, YoutubePublishRequest } from '../domain/publish/requests.js'

/**
 * Small capability interfaces the services depend on; each provider implements one and returns domain shapes.
 * Failures map to ProviderError so the job layer can decide about retries.
 */
export type ProviderErrorKind = 'auth' | 'rate_limited' | 'quota' | 'not_found' | 'transient' | 'permanent'

export class ProviderError extends Error {
  readonly provider: string
  readonly kind: ProviderErrorKind
  readonly retryAfterMs?: number
  /** What the user can do about it (a command that exists), e.g. `recflow credentials test 3`. */
  readonly hint?: string
  /**
   * kind 'auth' only: the provider refused the grant itself (revoked or expired refresh token, a rotated-out token),
   * so trying again cannot help: the user has to sign in again (the credential becomes needs_reauth).
   */
  readonly reauth: boolean
  constructor(
    provider: string,
    kind: ProviderErrorKind,
    message: string,
    opts: { retryAfterMs?: number; hint?: string; cause?: unknown; reauth?: boolean } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'ProviderError'
    this.provider = provider
    this.kind = kind
    this.retryAfterMs = opts.retryAfterMs
    this.hint = opts.hint
    this.reauth = opts.reauth ?? false
  }
}

export interface PublishMetadata {
  title: string
  description: string
  tags: string[]
}

export interface PublishInput {
  mediaFile: string
  /** Extra files published next to the media, each with the suffix it gets after the base name. */
  sidecars: Array<{ path: string; suffix: string }>
  metadata: PublishMetadata & Record<string, unknown>
  /** File base name (local) or nothing (platforms name videos by title). */
  baseName: string
  /**
   * Where a previous attempt of the same target meant to write; reused so a retry never duplicates. `files`:
   * what that publication placed (a folder publisher removes those of its own name the new one no longer has,
   * e.g. subtitles after captions were turned off).
   */
  previous?: { id?: string; path?: string; files?: string[] }
}

export interface PublishResult {
  /** Stable id of the published item (a video id; for folders, the media file path). */
  id: string
  url?: string
  files: string[]
}

export interface PublishControl {
  signal?: AbortSignal
  /** Percent done; folder publishers also tell the bytes copied so far and the total (for speed and time left). */
  onProgress?: (percent: number, bytes?: { sent: number; total: number }) => void
  /** Called with the planned location before any byte is written, so it can be persisted first. */
  onPlanned?: (planned: { id?: string; path?: string }) => Promise<void>
  /**
   * Folder publishers: claims a destination path for this target (false when another target holds it), or
   * releases the claim (null). The claim is durable, so a retry knows which existing file is its own.
   */
  reserve?: (path: string | null) => Promise<boolean>
}

export interface VideoPublisher {
  readonly platform: 'youtube' | 'vk' | 'local'
  publish(input: PublishInput, control?: PublishControl): Promise<PublishResult>
}

/* ---------------------------------------------------------------------------------------------------------------
 * Platform uploads (YouTube, VK). An uploader sends the request the domain built (src/domain/publish/requests.ts)
 * and is resumable through a checkpoint the caller persists: it calls `onCheckpoint` (and awaits it) with the
 * session address before the first byte, with the committed offset after every chunk the platform confirmed,
 * and with the video id the moment the platform returns it, before anything else. Given a checkpoint back, it
 * continues from there: a known video id is never uploaded again (only the follow-up steps not in `done` run);
 * a known session is asked for its status first. Failures are ProviderErrors: 'auth' (after one forced token
 * refresh on 401; VK 5), 'quota' with retryAfterMs (YouTube quotaExceeded / uploadLimitExceeded until midnight
 * Pacific; VK 29), 'rate_limited', 'transient' (retries exhausted), 'permanent' (invalid metadata, VK captcha 14,
 * access denied 15/204, ...), each with a hint that names a command that exists.
 * ------------------------------------------------------------------------------------------------------------- */

/** Where one target's upload stands; the caller keeps it in output_targets.target_meta. */
export interface UploadCheckpoint {
  /** YouTube: the resumable session URI. VK: the upload_url video.save returned. */
  sessionUrl?: string
  /** Bytes the platform confirmed it holds (YouTube: the last `Range`); 0 before the first chunk. */
  committedBytes?: number
  totalBytes?: number
  /** The platform's video id, stored the moment the platform returns it. */
  videoId?: string
  /** VK: the video's owner (negative for a community). */
  ownerId?: number
  /** Where people watch it. */
  url?: string
  /** Follow-up steps finished: 'upload' (the media is fully received), 'thumbnail', 'playlist', 'captions', 'album'. */
  done?: string[]
}

export interface UploadInput<R> {
  mediaFile: string
  request: R
  /** {} for a first attempt; else what the last attempt persisted. */
  checkpoint: UploadCheckpoint
}

export interface UploadControl {
  signal?: AbortSignal
  /** Bytes the platform confirmed so far, and the total (called as chunks are committed, at most a few times a second). */
  onBytes?: (sent: number, total: number) => void
  /** Persist this before the next request; the uploader awaits it. */
  onCheckpoint: (checkpoint: UploadCheckpoint) => Promise<void>
}

export interface UploadResult {
  videoId: string
  url: string
  /** The final checkpoint (every step done). */
  checkpoint: UploadCheckpoint
  /** Follow-up steps that were skipped for a reason the user should see (e.g. an unverified channel cannot set thumbnails). */
  warnings: string[]
}

export interface PlatformUploader<R> {
  readonly platform: 'youtube' | 'vk'
  upload(input: UploadInput<R>, control: UploadControl): Promise<UploadResult>
}

export interface UploaderConfig {
  accessToken: AccessTokenGetter
  /** The credential, so errors can name `recflow auth status` / `recflow auth youtube` and quota can be tracked per credential. */
  credentialId: number
  /** YouTube: bytes per chunk, a multiple of 256 KiB (default 8 MiB). */
  chunkBytes?: number
}

/** What building a publisher needs, per platform. */
export interface PublisherConfigs {
  local: { destination: string }
  youtube: UploaderConfig
  vk: UploaderConfig
}

/**
 * The publishers the composition root wires in, one factory per platform, each loading its provider on first
 * use. Services reach providers only through this (and the types above); a platform without a factory is not
 * published to yet.
 */
export type Publishers = {
  readonly local?: (config: PublisherConfigs['local']) => Promise<VideoPublisher>
  readonly youtube?: (config: PublisherConfigs['youtube']) => Promise<PlatformUploader<YoutubePublishRequest>>
  readonly vk?: (config: PublisherConfigs['vk']) => Promise<PlatformUploader<VkPublishRequest>>
}

/* ---------------------------------------------------------------------------------------------------------------
 * Speech to text and chat models (API-key services: Fireworks, OpenAI-compatible transcription, DeepSeek and any
 * OpenAI-compatible /chat/completions). Clients retry 429/5xx/network errors themselves (honouring Retry-After,
 * else backoff, bounded, aborting on the signal) and throw ProviderError: auth (401/403: a hint to
 * `recflow credentials test`), quota (402 / insufficient balance), permanent (other 4xx), transient (retries
 * exhausted).
 * ------------------------------------------------------------------------------------------------------------- */

/** The kinds of API-key credential (`recflow credentials add <kind>`). */
export type ApiKeyKind = 'fireworks' | 'openai' | 'deepseek'

export interface ApiKeyAccess {
  apiKey: string
  /** The credential's own base URL (`--base-url`), else null: the RECFLOW_*_URL variable or the default applies. */
  baseUrl: string | null
}

export interface ProviderWord {
  text: string
  /** Seconds from the start of the audio file sent. */
  start: number
  end: number
  probability?: number
}

export interface ProviderSegment {
  text: string
  start: number
  end: number
}

/** One audio file's transcript, times relative to that file. */
export interface ProviderTranscript {
  language: string | null
  durationS: number | null
  text: string
  /** Empty when the service gives no word timestamps (see Transcriber.wordTimestamps). */
  words: ProviderWord[]
  segments: ProviderSegment[]
}

export interface TranscribeRequest {
  /** Mono 16 kHz audio file (Opus in Ogg, or MP3) under maxUploadBytes. */
  file: string
  durationS: number
  /** ISO-639-1 style code, or null to detect. */
  language: string | null
  /** Style and vocabulary hint (the title plus the template's vocabulary). */
  prompt: string
}

export interface Transcriber {
  readonly provider: 'fireworks' | 'fireworks-batch' | 'openai'
  readonly model: string
  /** Largest upload the service takes, in bytes; the stage splits audio at silences under it. */
  readonly maxUploadBytes: number
  /** Whether the service returns word timestamps (else words are derived from segments). */
  readonly wordTimestamps: boolean
  /** US dollars per audio minute for estimates; null when unknown. */
  readonly pricePerMinuteUsd: number | null
  transcribe(req: TranscribeRequest, control?: { signal?: AbortSignal }): Promise<ProviderTranscript>
}

export interface TranscriberConfig {
  provider: Transcriber['provider']
  access: ApiKeyAccess
  /** null = the provider's default model. */
  model: string | null
  /** The credential the key came from, so an auth failure can name `recflow credentials test <id>`. */
  credentialId?: number
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface ChatCompletion {
  content: string
  model: string
  /** `stop`, `length` (the JSON was cut: raise max tokens), `content_filter`, ...; null when not given. */
  finishReason?: string | null
  usage: { promptTokens: number; completionTokens: number } | null
}

/** Any OpenAI-compatible /chat/completions in JSON mode; the caller validates the JSON (and retries once). */
export interface TextModel {
  readonly provider: 'deepseek' | 'openai'
  readonly model: string
  /** Context window in tokens, for splitting long transcripts. */
  readonly contextTokens: number
  completeJson(messages: ChatMessage[], control?: { signal?: AbortSignal; maxTokens?: number }): Promise<ChatCompletion>
}

export interface TextModelConfig {
  provider: TextModel['provider']
  access: ApiKeyAccess
  model: string | null
  /** The credential the key came from, so an auth failure can name `recflow credentials test <id>`. */
  credentialId?: number
}

/** `recflow credentials test`: one cheap authenticated call. */
export type ApiKeyCheck = { ok: true; detail: string } | { ok: false; kind: 'auth' | 'unreachable' | 'other'; detail: string }

/** What a provider client is built with besides its own config (DESIGN.md §4: {http, credentials, logger, clock}). */
export interface ProviderEnv {
  /** Base URLs (RECFLOW_*_URL overrides applied); paths under each base are the real service's. */
  urls: ServiceUrls
  logger: Logger
  clock: Clock
}

/** The speech and chat clients, wired by the composition root (each module loaded on first use). */
export interface AiProviders {
  transcriber(config: TranscriberConfig): Promise<Transcriber>
  /** US dollars per audio minute for the provider's model (null = its default), as its transcriber reports; null when unknown. */
  transcriptionPrice(provider: Transcriber['provider'], model: string | null): Promise<number | null>
  textModel(config: TextModelConfig): Promise<TextModel>
  checkApiKey(kind: ApiKeyKind, access: ApiKeyAccess, control?: { signal?: AbortSignal }): Promise<ApiKeyCheck>
}

/* ---------------------------------------------------------------------------------------------------------------
 * Recording sources (Zoom cloud recordings). The client lists a user's meetings over any date range (one-month
 * windows, every page), retries 429/5xx itself (Retry-After honoured), asks for a fresh token once on a 401 and
 * then throws ProviderError kind 'auth' with the sign-in hint. Meetings come back as Zoom describes them (`raw`,
 * kept whole in source_metadata) plus the few fields sync reads.
 * ------------------------------------------------------------------------------------------------------------- */

/** The access token for each request; `forceRefresh` after a 401 (OAuth: refresh; S2S: a new account token). */
export type AccessTokenGetter = (opts: { forceRefresh: boolean }) => Promise<string>

export interface SourceRecordingFile {
  id: string
  /** MP4, M4A, TRANSCRIPT, CHAT, CC, TIMELINE, ... (unknown values are kept as they are). */
  fileType: string
  fileExtension: string
  /** shared_screen_with_speaker_view, active_speaker, gallery_view, audio_only, audio_transcript, ... */
  recordingType: string
  /** `completed`, or `processing` while Zoom still works on the file. */
  status: string
  sizeBytes: number | null
  downloadUrl: string | null
  recordingStart: string | null
  recordingEnd: string | null
}

export interface SourceMeeting {
  uuid: string
  meetingId: number | null
  topic: string
  startTime: string
  durationMinutes: number | null
  files: SourceRecordingFile[]
  /** The meeting object exactly as the API returned it. */
  raw: Record<string, unknown>
}

export interface RecordingListQuery {
  /** `me`, a user id or an email. */
  userId: string
  /** yyyy-mm-dd, UTC, both included. */
  from: string
  to: string
}

export interface RecordingSource {
  readonly platform: 'zoom'
  /** Every meeting with cloud recordings in the range, one page at a time (pages of up to 300). */
  listMeetings(query: RecordingListQuery, control?: { signal?: AbortSignal }): AsyncGenerator<SourceMeeting[]>
  /** One meeting instance by UUID; null when Zoom has no recording for it (any more). */
  meeting(uuid: string, control?: { signal?: AbortSignal }): Promise<SourceMeeting | null>
  /**
   * Moves all of a meeting instance's cloud recording files to Zoom's trash (`action=trash`, recoverable for 30
   * days; there is deliberately no way to delete for good here). 'gone' when Zoom has no recording for it any more.
   */
  trashMeeting(uuid: string, control?: { signal?: AbortSignal }): Promise<'trashed' | 'gone'>
}

export interface RecordingSourceConfigs {
  zoom: { accessToken: AccessTokenGetter; credentialId?: number }
}

/** Recording source clients, wired by the composition root (each module loaded on first use). */
export type RecordingSources = {
  readonly [P in RecordingSource['platform']]: (config: RecordingSourceConfigs[P]) => Promise<RecordingSource>
}

/* ---------------------------------------------------------------------------------------------------------------
 * OAuth sign-in and tokens (YouTube via Google, VK ID / legacy VK, Zoom user OAuth and Server-to-Server). A provider
 * builds the authorize URL and speaks the token endpoint; it never stores anything (src/services/credentials/
 * oauth-tokens.ts does). Token endpoint failures are ProviderErrors: kind 'auth' with `reauth: true` when the grant
 * itself is refused (Google invalid_grant, Zoom 400 "Invalid Token!"/4711 or 401, VK invalid token), kind 'auth'
 * without reauth for a refused client (wrong id or secret), 'transient' for 429/5xx/network after retries.
 * ------------------------------------------------------------------------------------------------------------- */

export type OAuthPlatform = 'youtube' | 'vk' | 'zoom'
export const OAUTH_PLATFORMS: readonly OAuthPlatform[] = ['youtube', 'vk', 'zoom']

export interface OAuthTokens {
  accessToken: string
  /** null when the provider issued none (Zoom S2S, VK implicit, Google without offline access). */
  refreshToken: string | null
  /** null when the token does not expire (VK implicit with `offline`). */
  expiresAt: Date | null
  /** What was granted (the token response's `scope`), else what was asked for. */
  scopes: string[]
  /** Provider-specific values that later calls need, e.g. VK ID's `device_id` or `user_id`; kept with the tokens. */
  extra?: Record<string, string>
}

/** The OAuth app the user registered: its id, and its secret (null for a public client, e.g. VK ID with PKCE only). */
export interface OAuthClient {
  clientId: string
  clientSecret: string | null
}

export interface AuthorizeUrlInput {
  clientId: string
  /** The loopback URL the browser comes back to, e.g. http://127.0.0.1:53682/callback. */
  redirectUri: string
  state: string
  /** BASE64URL(SHA256(code_verifier)); the method is always S256. */
  codeChallenge: string
  scopes: string[]
}

export interface OAuthProvider {
  readonly platform: OAuthPlatform
  /** Scopes asked for when the user names none. */
  readonly defaultScopes: string[]
  authorizeUrl(input: AuthorizeUrlInput): string
  /** Trades an authorization code (with its PKCE verifier) for tokens. `extra`: values the callback carried (VK's device_id). */
  exchange(input: { code: string; codeVerifier: string; redirectUri: string; client: OAuthClient; extra?: Record<string, string> }, control?: { signal?: AbortSignal }): Promise<OAuthTokens>
  /**
   * A new access token from a refresh token. Rotating providers (Zoom, VK ID) return a new refresh token; Google
   * returns none (refreshToken null: keep the old one). Throws ProviderError 'auth' with reauth when refused.
   */
  refresh(input: { refreshToken: string; client: OAuthClient; extra?: Record<string, string> }, control?: { signal?: AbortSignal }): Promise<OAuthTokens>
  /** Zoom Server-to-Server only: a fresh account token (no refresh token). */
  accountToken?(input: { accountId: string; client: OAuthClient }, control?: { signal?: AbortSignal }): Promise<OAuthTokens>
  /** Legacy VK only: the implicit-flow URL, whose final page address (pasted by the user) carries the token. */
  implicitUrl?(input: { clientId: string; state: string; scopes: string[] }): string
  /** Legacy VK only: the tokens of that pasted address (a usage/auth RecflowError when it is not this sign-in's). */
  implicitTokens?(pastedUrl: string, expectedState: string, scopes: string[]): OAuthTokens
  /** The account the token belongs to, as shown to the user: the YouTube channel title, the VK user name, the Zoom user email. */
  accountName(accessToken: string, control?: { signal?: AbortSignal; extra?: Record<string, string> }): Promise<string>
}

/** One loader per platform, wired by the composition root (each provider module is imported on first use). */
export type OAuthProviders = {
  readonly [P in OAuthPlatform]: () => Promise<OAuthProvider>
}

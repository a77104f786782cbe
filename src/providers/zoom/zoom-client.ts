import { HttpUnreachableError, requestWithRetry, type HttpAnswer } from '../../platform/http.js'
import { ProviderError, type AccessTokenGetter, type ProviderEnv, type RecordingListQuery, type RecordingSource, type SourceMeeting, type SourceRecordingFile } from '../types.js'
import { meetingPathSegment } from './meeting-path.js'
import { monthWindows } from './month-windows.js'

/*
 * Zoom cloud recordings (API-CONTRACTS.md §A.3–A.5, A.9): `GET /users/{userId}/recordings` per one-month window,
 * page_size 300, following next_page_token until it comes back empty; `GET /meetings/{uuid}/recordings` with
 * slash UUIDs double-encoded. 429 and 5xx are retried by requestWithRetry (Retry-After honoured). A 401 asks the
 * token getter for a fresh token once, then fails with kind 'auth' and the sign-in hint. A page token that has
 * expired (15 minutes) restarts its window: the sync deduplicates, so a page seen twice costs nothing.
 */

export const ZOOM_PAGE_SIZE = 300
export const ZOOM_AUTH_HINT = 'run `recflow auth zoom` to sign in again (or `recflow credentials add zoom` for a Server-to-Server app)'
/** Month windows listed at once (Zoom's Medium rate limit is 20 requests a second and more on paid plans). */
const WINDOWS_AT_ONCE = 3
/** Restarts of one window after an expired page token, before giving up. */
const MAX_WINDOW_RESTARTS = 2

interface ZoomErrorBody {
  code?: number
  message?: string
}

export function createZoomRecordingSource(config: { accessToken: AccessTokenGetter; credentialId?: number }, env: ProviderEnv): RecordingSource {
  const base = env.urls.zoomApi.replace(/\/+$/, '')

  const get = async (path: string, signal: AbortSignal | undefined, method: 'GET' | 'DELETE' = 'GET'): Promise<HttpAnswer> => {
    const url = `${base}${path}`
    const send = async (forceRefresh: boolean) => {
      const token = await config.accessToken({ forceRefresh })
      try {
        return await requestWithRetry(url, () => ({ method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }), {
          signal,
          maxAttempts: 6,
          onRetry: ({ attempt, delayMs, reason }) => env.logger.debug(`zoom: ${reason}, try ${attempt + 1} in ${delayMs} ms`),
        })
      } catch (e) {
        if (e instanceof HttpUnreachableError) throw new ProviderError('zoom', 'transient', `Zoom API unreachable: ${e.message}`, { cause: e })
        throw e
      }
    }
    let answer = await send(false)
    if (answer.status === 401) answer = await send(true)
    if (answer.status === 401) {
      throw new ProviderError('zoom', 'auth', `Zoom refused the access token${credentialNote(config.credentialId)}: ${errorOf(answer).message ?? 'HTTP 401'}`, {
        hint: ZOOM_AUTH_HINT,
      })
    }
    return answer
  }

  const fail = (answer: HttpAnswer, what: string): never => {
    const body = errorOf(answer)
    const detail = `${what}: HTTP ${answer.status}${body.code !== undefined ? ` (code ${body.code})` : ''}${body.message ? `: ${body.message}` : ''}`
    if (answer.status === 429) {
      throw new ProviderError('zoom', 'rate_limited', `Zoom rate limit: ${detail}`, { hint: 'wait a minute and run `recflow sync` again' })
    }
    if (answer.status >= 500) throw new ProviderError('zoom', 'transient', `Zoom failed ${detail}`)
    if (answer.status === 403) throw new ProviderError('zoom', 'auth', `Zoom forbids ${detail} (the app needs the recording:read scope)`, { hint: ZOOM_AUTH_HINT })
    if (answer.status === 404 && body.code === 1001) {
      throw new ProviderError('zoom', 'not_found', `Zoom: ${detail}`, { hint: 'check the Zoom users the source lists: `recflow sources show ID`, then `recflow sources edit ID --users me,...`' })
    }
    if (answer.status === 404) throw new ProviderError('zoom', 'not_found', `Zoom: ${detail}`)
    throw new ProviderError('zoom', 'permanent', `Zoom refused ${detail}`)
  }

  return {
    platform: 'zoom',

    async *listMeetings(query: RecordingListQuery, control = {}) {
      const user = encodeURIComponent(query.userId)
      // Every page of one window, in order (a window's pages chain through next_page_token).
      const listWindow = async (window: { from: string; to: string }): Promise<SourceMeeting[][]> => {
        const pages: SourceMeeting[][] = []
        let restarts = 0
        let token = ''
        for (;;) {
          const params = new URLSearchParams(
            token === '' ? { page_size: String(ZOOM_PAGE_SIZE), from: window.from, to: window.to } : { page_size: String(ZOOM_PAGE_SIZE), next_page_token: token },
          )
          const answer = await get(`/users/${user}/recordings?${params}`, control.signal)
          if (answer.status === 400 && token !== '' && errorOf(answer).code === 300 && restarts < MAX_WINDOW_RESTARTS) {
            env.logger.debug(`zoom: the page token of ${window.from}..${window.to} expired; listing that window again`)
            restarts++
            token = ''
            pages.length = 0
            continue
          }
          if (answer.status !== 200) fail(answer, `listing recordings of ${query.userId} from ${window.from} to ${window.to}`)
          const body = parseJson(answer.text) as { meetings?: unknown[]; next_page_token?: string }
          pages.push((body.meetings ?? []).map(toMeeting))
          token = body.next_page_token ?? ''
          if (token === '') return pages
        }
      }
      // A few windows are listed at once (the requests' round trips overlap), their pages handed out in window order.
      const windows = monthWindows(query.from, query.to)
      const inFlight: Array<Promise<SourceMeeting[][]>> = []
      let next = 0
      const fill = () => {
        while (inFlight.length < WINDOWS_AT_ONCE && next < windows.length) {
          const listing = listWindow(windows[next++] as { from: string; to: string })
          listing.catch(() => undefined) // awaited in order below; a later window's failure must not go unhandled meanwhile
          inFlight.push(listing)
        }
      }
      fill()
      while (inFlight.length > 0) {
        const pages = await (inFlight.shift() as Promise<SourceMeeting[][]>)
        fill()
        for (const page of pages) yield page
      }
    },

    async meeting(uuid, control = {}) {
      const answer = await get(`/meetings/${meetingPathSegment(uuid)}/recordings`, control.signal)
      if (answer.status === 404 && [3301, 1001].includes(errorOf(answer).code ?? 0)) return null
      if (answer.status !== 200) fail(answer, `reading the recordings of meeting ${uuid}`)
      const { download_access_token: _token, password: _password, recording_play_passcode: _passcode, ...meeting } = parseJson(answer.text) as Record<string, unknown>
      return toMeeting(meeting)
    },

    async trashMeeting(uuid, control = {}) {
      // `action=trash` always, never Zoom's default-by-omission nor `delete`: a permanent delete is not offered.
      const answer = await get(`/meetings/${meetingPathSegment(uuid)}/recordings?action=trash`, control.signal, 'DELETE')
      if (answer.status === 204 || answer.status === 200) return 'trashed'
      if (answer.status === 404 && [3301, 1001].includes(errorOf(answer).code ?? 0)) return 'gone'
      if (answer.status === 403) {
        throw new ProviderError('zoom', 'auth', `Zoom forbids moving meeting ${uuid} to the trash (the app needs the recording:write scope)`, { hint: ZOOM_AUTH_HINT })
      }
      return fail(answer, `moving the recordings of meeting ${uuid} to the trash`)
    },
  }
}

function credentialNote(id: number | undefined): string {
  return id === undefined ? '' : ` of credential ${id}`
}

function errorOf(answer: HttpAnswer): ZoomErrorBody {
  try {
    const body = JSON.parse(answer.text) as unknown
    return body !== null && typeof body === 'object' ? (body as ZoomErrorBody) : {}
  } catch {
    return {}
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new ProviderError('zoom', 'transient', `Zoom answered with something that is not JSON: ${text.slice(0, 120)}`, { cause: e })
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null)

/** A meeting object as sync reads it; anything unexpected is tolerated (and kept whole in `raw`). */
function toMeeting(value: unknown): SourceMeeting {
  const raw = (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>
  const uuid = str(raw.uuid)
  if (uuid === null || uuid === '') throw new ProviderError('zoom', 'permanent', 'Zoom listed a meeting without a uuid')
  const files = Array.isArray(raw.recording_files) ? raw.recording_files : []
  return {
    uuid,
    meetingId: num(raw.id),
    topic: str(raw.topic) ?? '',
    startTime: str(raw.start_time) ?? '',
    durationMinutes: num(raw.duration),
    files: files.map(toFile).filter((f): f is SourceRecordingFile => f !== null),
    raw,
  }
}

function toFile(value: unknown): SourceRecordingFile | null {
  if (value === null || typeof value !== 'object') return null
  const f = value as Record<string, unknown>
  const id = str(f.id)
  if (id === null) return null
  return {
    id,
    fileType: (str(f.file_type) ?? '').toUpperCase(),
    fileExtension: (str(f.file_extension) ?? '').toUpperCase(),
    recordingType: str(f.recording_type) ?? '',
    status: str(f.status) ?? 'completed',
    sizeBytes: num(f.file_size),
    downloadUrl: str(f.download_url),
    recordingStart: str(f.recording_start),
    recordingEnd: str(f.recording_end),
  }
}

import { RECORDING_STATUSES, type Recording, type JsonPage, type RecordingFilters, type RecordingStatus, type Task } from '../db/index.js'
import type { QueueRunInput } from './recording-run.js'
import type { RecordingFileKind } from '../domain/resources/recording-file-kinds.js'
import fs from 'node:fs/promises'
import { boundedMap } from '../domain/bounded-map.js'
import { conflict, notFound, usageError } from '../domain/errors.js'
import { zoomTrashRecordOf } from '../domain/zoom/trash-record.js'
import { recordingDir } from './pipeline/recording-files.js'
import { measureRecordingStorage } from './quota/storage.js'
import { readCache } from './read-cache.js'
import type { ServiceDeps, UserRef } from './context.js'
import { listAll, type ListOptions } from './paging.js'
import { liveRecording } from './live-recording.js'
import { holdsPublication, platformMeta } from './pipeline/target-checkpoint.js'
import type { TargetSelection } from './pipeline/publish-targets.js'

export interface RecordingQuery extends ListOptions {
  status?: string[]
  failed?: boolean
  mapped?: boolean
  templateId?: number
  sourceId?: number
  search?: string
  from?: string
  to?: string
}

/** Accepts a date (YYYY-MM-DD, read as UTC midnight) or a full ISO instant; anything else is a usage error. */
export function parseDateBound(value: string, flag: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const iso = dateOnly ? `${value}T00:00:00Z` : value
  const t = Date.parse(iso)
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) {
    throw usageError(`--${flag} must be a date like 2026-03-01 or an ISO time like 2026-03-01T09:00:00Z, got "${value}"`)
  }
  return new Date(t).toISOString()
}

/** Recordings pages kept for the daemon's list route (a 50-item page is ~25 kB: at most ~25 MB). */
const LIST_PAGES_KEPT = 1000

function toFilters(q: RecordingQuery): RecordingFilters {
  const statuses = q.status?.map((s) => s.toUpperCase())
  const unknown = statuses?.filter((s) => !(RECORDING_STATUSES as readonly string[]).includes(s))
  if (unknown && unknown.length > 0) {
    throw usageError(`unknown status ${unknown.join(', ')}`, `use one of ${RECORDING_STATUSES.join(', ')}`)
  }
  const filters: RecordingFilters = {
    status: statuses as RecordingStatus[] | undefined,
    failed: q.failed,
    mapped: q.mapped,
    template_id: q.templateId,
    source_id: q.sourceId,
    search: q.search,
    from: q.from === undefined ? undefined : parseDateBound(q.from, 'from'),
    to: q.to === undefined ? undefined : parseDateBound(q.to, 'to'),
  }
  if (filters.from && filters.to && filters.from >= filters.to) throw usageError('--from must be earlier than --to')
  return filters
}

export function recordingsService(deps: ServiceDeps) {
  const { scopes, queue, env, clock, logger } = deps
  const scope = (user: UserRef) => scopes.forUser(user.id)
  const listPages = boundedMap<string, { version: number; page: JsonPage }>(LIST_PAGES_KEPT)
  const listVersions = readCache<number, number>(deps.databaseChanges, LIST_PAGES_KEPT)

  return {
    list: (user: UserRef, query: RecordingQuery = {}) => scope(user).recordings.list(toFilters(query), query),
    /**
     * The same page as `list`, its items as JSON text of recording summaries (the daemon sends it as it is). A
     * page is answered from memory while the user's recordings change counter (kept by database triggers, so
     * writes from any process count) is what it was when the page was read before; the counter is read first, so
     * a write racing the read only makes the kept page newer than its counter, never older. The counter itself is
     * not read again while the database is unchanged (read-cache.ts).
     */
    async listJson(user: UserRef, query: RecordingQuery = {}): Promise<JsonPage> {
      const key = `${user.id}\u0000${JSON.stringify(query)}`
      const version = await listVersions.get(user.id, () => scope(user).recordings.listVersion())
      const kept = listPages.get(key)
      if (kept !== undefined && kept.version === version) return kept.page
      const page = await scope(user).recordings.listJson(toFilters(query), query)
      listPages.set(key, { version, page })
      return page
    },

    /** Deleted (hidden) recordings are not found, as in the list. */
    get: (user: UserRef, id: number): Promise<Recording> => liveRecording(scope(user), id),

    /**
     * Queues the recording's pipeline without running it (the daemon's `POST /recordings/{id}/run`): see
     * recording-run.ts. Loaded on use: the queue and config schema cost the listing commands nothing.
     */
    async queueRun(user: UserRef, id: number, input: QueueRunInput = {}): Promise<Task> {
      await this.get(user, id)
      return (await import('./recording-run.js')).queueRecordingRun(deps, user, id, input)
    },

    /** Its transcript (text or JSON), subtitles (SRT, VTT) or chapters, as the stages wrote them. */
    // Loaded on use: the transcript schema is no cost for the other recordings commands.
    transcript: async (user: UserRef, id: number, format: string) => (await import('./recording-transcript.js')).recordingTranscript({ scopes, env }, user, id, format),

    /** Its resolved config with the layer of each value, and its manual override layer (recording-config.ts). */
    config: async (user: UserRef, id: number) => (await import('./recording-config.js')).showRecordingConfig(deps, user, id),
    /** Replaces its manual override layer, checked like the user's config; null drops it. */
    setConfig: async (user: UserRef, id: number, override: unknown) => (await import('./recording-config.js')).setRecordingConfig(deps, user, id, override),
    /** One of its artefacts as a file to stream (transcript, srt, vtt, topics, video): recording-downloads.ts. */
    file: async (user: UserRef, id: number, kind: RecordingFileKind) => (await import('./recording-downloads.js')).recordingFile(deps, user, id, kind),
    /** Deletes it with its media and gives back its storage: recording-delete.ts. */
    remove: async (user: UserRef, id: number) => (await import('./recording-delete.js')).deleteRecording(deps, user, id),

    /** The recording with its processing stages, output targets, topic versions and the files it has. */
    async show(user: UserRef, id: number) {
      const s = scope(user)
      const recording = await this.get(user, id)
      const [stages, targets, metadata, topicSets, files] = await Promise.all([
        listAll((page) => s.stages.list({ recording_id: id }, page)),
        listAll((page) => s.targets.list({ recording_id: id }, page)),
        s.sourceMetadata.getByRecording(id),
        s.topicSets.listForRecording(id),
        import('./recording-downloads.js').then((m) => m.availableFiles(env, user, recording)),
      ])
      // Each topic extraction is a version; the active one is what presets render and chapters.vtt holds.
      const topicVersions = topicSets.map((t) => ({ version: t.version, active: t.is_active, main_topic: t.main_topic, granularity: t.granularity, provider: t.provider, model: t.model, created_at: t.created_at }))
      // Set once its Zoom cloud copy went to Zoom's trash (a template's zoom_after_archive: trash).
      const zoomTrash = zoomTrashRecordOf(metadata?.metadata)
      // A published video's URL at the top of its target (the checkpoint inside target_meta is the uploader's).
      const withUrls = targets.map((t) => ({ ...t, url: t.target_type === 'local' ? null : (platformMeta(t).url ?? null) }))
      return { ...recording, stages, targets: withUrls, files, topic_versions: topicVersions, ...(zoomTrash ? { zoom_trash: zoomTrash } : {}) }
    },

    /**
     * The targets `recordings upload` / `retry-upload` publish, checked: the preset exists, and a retry has FAILED
     * targets to retry (else a usage error that says where to look).
     */
    async uploadSelection(user: UserRef, id: number, opts: { presetIds?: number[]; platform?: 'youtube' | 'vk' | 'local'; failedOnly?: boolean }): Promise<TargetSelection> {
      const s = scope(user)
      await this.get(user, id)
      for (const presetId of opts.presetIds ?? []) {
        if (!(await s.presets.get(presetId))) throw notFound('preset', presetId, 'run `recflow presets list` to see preset ids')
      }
      const select: TargetSelection = { presetIds: opts.presetIds, platforms: opts.platform ? [opts.platform] : undefined, failedOnly: opts.failedOnly }
      if (opts.failedOnly) {
        const failed = (await listAll((page) => s.targets.list({ recording_id: id, status: 'FAILED' }, page))).filter(
          (t) => opts.platform === undefined || t.target_type === opts.platform,
        )
        if (failed.length === 0) {
          throw usageError(`recording ${id} has no failed ${opts.platform ?? ''} upload to retry`.replace('  ', ' '), `see its targets with \`recflow recordings show ${id}\``)
        }
      }
      return select
    },

    /**
     * Back to the start: deletes the recording's artefacts (its own media folder only, never the source file or
     * published copies), its stages and output targets; keeps the template binding. Refused while a task runs it.
     * Targets already published (or holding a platform video or upload session) are kept, so the next run does not
     * publish the recording a second time; `forgetPublished` deletes them too (the copies stay where they are).
     */
    async reset(user: UserRef, id: number, opts: { forgetPublished?: boolean } = {}) {
      const s = scope(user)
      const recording = await this.get(user, id)
      // A task left "running" by a crashed run is not active: take it back first.
      await queue.recoverDeadLocalOwners({ now: clock.now(), userId: user.id, logger })
      // One (BEGIN IMMEDIATE) transaction: no task can be queued between the check and the deletes. The folder goes
      // only after the commit, so a refused or failed reset leaves the files the stage rows describe.
      const status = recording.template_id === null ? 'SKIPPED' : 'INITIALIZED'
      const { stages, targets, kept } = await s.transaction(async (tx) => {
        const active = await tx.tasks.list({ recording_id: id, state: ['pending', 'running'] }, { limit: 1 })
        if (active.items.length > 0) {
          const task = active.items[0]!
          throw conflict(`recording ${id} has a ${task.state} task (${task.id})`, `wait for it or cancel it: recflow tasks cancel ${task.id}`)
        }
        const stages = await listAll((page) => tx.stages.list({ recording_id: id }, page))
        const all = await listAll((page) => tx.targets.list({ recording_id: id }, page))
        const targets = opts.forgetPublished ? all : all.filter((t) => !holdsPublication(t))
        for (const st of stages) await tx.stages.remove(st.id)
        for (const t of targets) await tx.targets.remove(t.id)
        await tx.recordings.clearFailure(id)
        await tx.recordings.update(id, { processed_file: null, status })
        return { stages, targets, kept: all.length - targets.length }
      })
      const dir = recordingDir(env.mediaDir, user.id, id)
      await fs.rm(dir, { recursive: true, force: true })
      await measureRecordingStorage(deps, user, id)
      return { id, status, removedStages: stages.length, removedTargets: targets.length, keptTargets: kept, removedDir: dir }
    },
  }
}

export type RecordingsService = ReturnType<typeof recordingsService>

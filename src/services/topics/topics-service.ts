import fs from 'node:fs'
import path from 'node:path'
import type { TopicSet } from '../../db/index.js'
import { notFound, RecflowError } from '../../domain/errors.js'
import { buildChapters } from '../../domain/metadata/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { recordingFiles } from '../pipeline/recording-files.js'
import { topicSetDuration } from './active-topics.js'
import { writeChaptersFile } from './topic-files.js'

/** One topic set as `recordings topics` shows it. */
export interface TopicSetView {
  version: number
  active: boolean
  main_topic: string
  summary: string
  topics: Array<{ title: string; start: number }>
  /** YouTube chapter lines ("0:00 Title"); empty when the topics make no valid list. */
  chapters: string[]
  provider: string
  model: string
  granularity: string
  created_at: string
}

export interface RecordingTopics {
  recording: { id: number; display_name: string }
  active: TopicSetView
  /** Every version, oldest first (with --versions). */
  versions?: TopicSetView[]
}

function view(set: TopicSet): TopicSetView {
  const topics = set.topics as Array<{ title: string; start: number }>
  return {
    version: set.version,
    active: set.is_active,
    main_topic: set.main_topic,
    summary: set.summary,
    topics,
    chapters: buildChapters(topics, topicSetDuration(set) ?? Number.NaN).lines,
    provider: set.provider,
    model: set.model,
    granularity: set.granularity,
    created_at: set.created_at,
  }
}

export function topicsService(deps: ServiceDeps) {
  const recordingOf = async (user: UserRef, id: number) => {
    const rec = await deps.scopes.forUser(user.id).recordings.get(id)
    if (!rec) throw notFound('recording', id, 'run `recflow recordings list` to see recording ids')
    return rec
  }

  const show = async (user: UserRef, recordingId: number, opts: { versions?: boolean } = {}): Promise<RecordingTopics> => {
    const rec = await recordingOf(user, recordingId)
    const all = await deps.scopes.forUser(user.id).topicSets.listForRecording(rec.id)
    const active = all.find((s) => s.is_active)
    if (!active) {
      throw new RecflowError('not_found', `recording ${rec.id} has no topics yet`, {
        hint: `run \`recflow recordings run ${rec.id}\` (topics need a transcript and a deepseek or openai API key: \`recflow credentials add deepseek\`)`,
      })
    }
    const out: RecordingTopics = { recording: { id: rec.id, display_name: rec.display_name }, active: view(active) }
    if (opts.versions) out.versions = all.map(view)
    return out
  }

  return {
    show,

    /**
     * Makes an earlier (or later) version the active one: presets render it from now on and the chapters file is
     * rewritten from it. An unknown version changes nothing.
     */
    async activate(user: UserRef, recordingId: number, version: number): Promise<RecordingTopics> {
      const rec = await recordingOf(user, recordingId)
      const set = await deps.scopes.forUser(user.id).topicSets.activate(rec.id, version)
      if (!set) throw notFound(`topic set version ${version} of recording`, rec.id, `run \`recflow recordings topics ${rec.id} --versions\` to see its versions`)
      const files = recordingFiles(deps.env.mediaDir, user.id, rec.id, path.extname(rec.original_file ?? '.mp4'))
      const duration = topicSetDuration(set)
      // A recording whose folder is gone (expired media) has no chapters file to keep in step.
      if (duration !== undefined && fs.existsSync(files.dir)) await writeChaptersFile(files, set.topics as Array<{ title: string; start: number }>, duration)
      return show(user, rec.id, { versions: true })
    },
  }
}

export type TopicsService = ReturnType<typeof topicsService>

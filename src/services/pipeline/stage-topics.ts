import { isRecflowError, RecflowError } from '../../domain/errors.js'
import { providerFailure } from '../provider-error.js'
import { resolveApiKey } from '../credentials/resolve-api-key.js'
import { extractTopics } from '../topics/extract-topics.js'
import { writeChaptersFile } from '../topics/topic-files.js'
import { skipped, type StageHandler } from './stage-types.js'
import { readTranscript } from './transcript-file.js'

/*
 * EXTRACT_TOPICS: the transcript to a chat model (topics.provider / topics.model / topics.credential_id), the
 * validated answer stored as the recording's next topic-set version (made active), and the chapters file written
 * from it. SKIPPED only when there is nothing to do (disabled, no transcript, silence) or no API key of that kind
 * exists at all; every other failure fails the stage.
 */
export const topicsStage: StageHandler = async (ctx) => {
  const cfg = ctx.config.topics
  if (!cfg.enabled) return skipped('topic extraction is disabled in the config (topics.enabled = false)')
  if (!ctx.previous.TRANSCRIBE) return skipped('no transcript to extract topics from (transcription was skipped)')
  if (ctx.dryRun) return { status: 'COMPLETED', meta: { dry_run: true }, message: `would extract topics with ${cfg.provider}${cfg.model ? ` (${cfg.model})` : ''}` }

  const transcript = await readTranscript(ctx.files, ctx.recording.id)
  if (transcript.empty) return skipped('the transcript is empty (no speech was found), so there are no topics to extract')

  let key: Awaited<ReturnType<typeof resolveApiKey>>
  try {
    key = await resolveApiKey(ctx.deps, ctx.user, cfg.provider, cfg.credential_id)
  } catch (e) {
    // No key of that kind at all: topics are optional, so the stage says how to turn them on instead of failing.
    if (isRecflowError(e) && e.code === 'auth' && cfg.credential_id === null) {
      return skipped(`no ${cfg.provider} API key is stored; run \`recflow credentials add ${cfg.provider}\` to extract topics`)
    }
    throw e
  }

  ctx.progress(0, { message: `asking ${cfg.provider}` })
  const model = await ctx.deps.ai.textModel({ provider: cfg.provider, access: key.access, model: cfg.model, credentialId: key.credentialId })
  let extraction: Awaited<ReturnType<typeof extractTopics>>
  try {
    extraction = await extractTopics(
      model,
      { title: ctx.recording.display_name, transcript, granularity: cfg.granularity, recordingId: ctx.recording.id },
      { signal: ctx.signal, onProgress: (done, total) => ctx.progress(Math.round((done / total) * 95), { message: `${done}/${total} request(s)` }) },
    )
  } catch (e) {
    throw providerFailure(e)
  }

  const { answer } = extraction
  const set = await ctx.scope.topicSets.addActive({
    recording_id: ctx.recording.id,
    main_topic: answer.main_topic,
    summary: answer.summary,
    topics: answer.topics,
    provider: cfg.provider,
    model: extraction.model,
    granularity: cfg.granularity,
    meta: { duration: transcript.duration, parts: extraction.parts, calls: extraction.calls, retries: extraction.retries, usage: extraction.usage, credential_id: key.credentialId },
  })
  const chapters = await writeChaptersFile(ctx.files, answer.topics, transcript.duration)
  return {
    status: 'COMPLETED',
    meta: {
      topic_set_id: set.id,
      version: set.version,
      topics: answer.topics.length,
      chapters: chapters.length,
      chapters_file: chapters.length > 0 ? ctx.files.chapters : null,
      provider: cfg.provider,
      model: extraction.model,
      parts: extraction.parts,
      calls: extraction.calls,
    },
    message: `${answer.topics.length} topics (version ${set.version}), ${chapters.length} chapters: ${answer.main_topic}`,
  }
}


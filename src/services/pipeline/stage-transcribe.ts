import { rm } from 'node:fs/promises'
import path from 'node:path'
import {
  buildTranscript,
  mapToTimeline,
  stitchPieces,
  transcriptionPrompt,
  type PieceResult,
} from '../../domain/transcript/index.js'
import { chooseAsrAudioFormat, encodeAsrPiece, type AsrAudioFile } from '../../media/index.js'
import type { ApiKeyKind, Transcriber } from '../../providers/types.js'
import { resolveApiKey } from '../credentials/resolve-api-key.js'
import { mapBounded } from '../sync/map-bounded.js'
import { concurrencyLimit } from './concurrency-limit.js'
import { loadPieceResult, pieceKey, removePieceResults, savePieceResult } from './piece-results.js'
import { skipped, type StageHandler } from './stage-types.js'
import { chooseTranscriptionSource, planTranscriptionPieces } from './transcription-audio.js'
import { writeTranscript } from './transcript-file.js'

/** Audio pieces encoded at once: encoding is CPU-bound (the requests are not), so it is bounded on its own. */
const ENCODERS = 2
/** Hallucination flags copied into the stage row for `recordings show` (the artefact has them all). */
const MAX_FLAGS_IN_META = 20

const KEY_KIND: Record<Transcriber['provider'], ApiKeyKind> = { fireworks: 'fireworks', 'fireworks-batch': 'fireworks', openai: 'openai' }

/**
 * TRANSCRIBE: the processed audio (else the original, mapped through the edit list) as mono 16 kHz pieces cut at
 * silences, under the provider's upload limit and enough of them to keep `transcription.concurrency` requests
 * busy; each piece is encoded (ENCODERS at a time) and sent as soon as a request slot is free, its file removed
 * once answered and its answer saved (a failed attempt's answers are reused by the next one: piece-results.ts).
 * The answers are stitched with the pieces' exact offsets into transcript.json + transcript.txt.
 */
export const transcribeStage: StageHandler = async (ctx) => {
  const cfg = ctx.config.transcription
  if (!cfg.enabled) return skipped('transcription is disabled in the config (transcription.enabled = false)')
  if (cfg.provider === null) {
    return skipped('no transcription provider configured: run `recflow credentials add fireworks`, then `recflow config set transcription.provider fireworks`')
  }
  const { credentialId, access } = await resolveApiKey(ctx.deps, ctx.user, KEY_KIND[cfg.provider], cfg.credential_id)
  const transcriber = await ctx.deps.ai.transcriber({ provider: cfg.provider, access, model: cfg.model, credentialId })
  const [tools, caps] = await Promise.all([ctx.deps.media.tools(), ctx.deps.media.capabilities()])
  const format = chooseAsrAudioFormat(caps)
  const source = chooseTranscriptionSource(ctx)
  ctx.progress(0, { message: 'planning audio pieces' })
  const plan = await planTranscriptionPieces(tools, source, {
    format,
    maxUploadBytes: transcriber.maxUploadBytes,
    concurrency: cfg.concurrency,
    silenceThresholdDb: ctx.config.processing.silence_threshold,
    signal: ctx.signal,
  })
  const { pieces, media } = plan
  const summary = {
    provider: transcriber.provider,
    model: transcriber.model,
    credential_id: credentialId,
    audio_source: source.kind,
    audio_file: source.path,
    pieces: pieces.length,
    hard_cuts: plan.hardCuts,
    concurrency: cfg.concurrency,
  }
  const billedSeconds = pieces.reduce((sum, p) => sum + p.durationS, 0)
  if (ctx.dryRun) {
    return { status: 'COMPLETED', meta: { dry_run: true, ...summary }, message: `would send ${pieces.length} audio piece(s), ${Math.round(billedSeconds)} s, to ${transcriber.provider}` }
  }

  const prompt = transcriptionPrompt({ prompt: cfg.prompt, title: ctx.recording.display_name, vocabulary: cfg.vocabulary })
  const encode = concurrencyLimit(ENCODERS)
  const written = new Set<string>()
  let doneS = 0
  let bytesSent = 0
  let reused = 0
  const started = Date.now()
  let firstRequestAt: number | undefined
  const name = (i: number, ext: string) => (pieces.length === 1 ? `${ctx.files.asrStem}.${ext}` : `${ctx.files.asrStem}-${String(i).padStart(3, '0')}.${ext}`)
  const pieceDone = (i: number, durationS: number) => {
    doneS += durationS
    ctx.progress(1 + (98 * doneS) / media.durationS, { message: `piece ${i + 1} of ${pieces.length} transcribed` })
  }
  ctx.progress(1, { message: `transcribing ${pieces.length} audio piece(s)` })
  let results: PieceResult[]
  // The first failure is the one reported. Requests already in flight are left to finish (their answers are
  // saved for the next attempt); no new piece starts. A cancel aborts everything.
  let firstError: unknown
  try {
    results = await mapBounded(pieces, cfg.concurrency, async (piece, i) => {
      const saved = path.join(ctx.files.dir, name(i, 'json'))
      const key = await pieceKey({ source: media.path, ...piece, provider: transcriber.provider, model: transcriber.model, language: cfg.language, prompt })
      const earlier = await loadPieceResult(saved, key)
      if (earlier) {
        reused++
        pieceDone(i, piece.durationS)
        return earlier
      }
      const output = path.join(ctx.files.dir, name(i, format.extension))
      written.add(output)
      try {
        const file: AsrAudioFile = await encode(() =>
          encodeAsrPiece(tools, media, { piece, output, format, whole: pieces.length === 1, maxBytes: transcriber.maxUploadBytes }, { signal: ctx.signal }),
        )
        firstRequestAt ??= Date.now()
        const answer = await transcriber.transcribe({ file: file.path, durationS: file.durationS, language: cfg.language, prompt }, { signal: ctx.signal })
        bytesSent += file.sizeBytes
        const result: PieceResult = { offsetS: piece.offsetS, durationS: piece.durationS, language: answer.language, words: answer.words, segments: answer.segments }
        savePieceResult(saved, key, result)
        pieceDone(i, piece.durationS)
        return result
      } catch (e) {
        if (firstError === undefined) firstError = e
        throw e
      } finally {
        await rm(output, { force: true })
        written.delete(output)
      }
    }).catch((e: unknown) => Promise.reject(firstError ?? e))
  } finally {
    await Promise.all([...written].map((f) => rm(f, { force: true })))
  }
  const requestsWallS = (Date.now() - (firstRequestAt ?? started)) / 1000

  const stitched = stitchPieces(results)
  const transcript = buildTranscript({
    stitched: { ...stitched, ...mapToTimeline(stitched, source.map) },
    durationS: source.processedDurationS(media),
    provider: transcriber.provider,
    model: transcriber.model,
    billedSeconds,
    pricePerMinuteUsd: transcriber.pricePerMinuteUsd,
    createdAt: ctx.deps.clock.now(),
  })
  writeTranscript(ctx.files, transcript)
  await removePieceResults(ctx.files.dir, ctx.files.asrStem)
  ctx.progress(100)
  const words = transcript.words.length
  const flags = transcript.hallucinations.length
  return {
    status: 'COMPLETED',
    meta: {
      ...summary,
      transcript_file: ctx.files.transcript,
      text_file: ctx.files.transcriptText,
      language: transcript.language,
      empty: transcript.empty,
      words,
      word_timestamps: transcript.word_timestamps,
      audio_bytes_sent: bytesSent,
      pieces_reused: reused,
      audio_seconds_billed: transcript.audio_seconds_billed,
      estimated_cost_usd: transcript.estimated_cost_usd,
      requests_wall_s: Math.round(requestsWallS * 1000) / 1000,
      hallucinations: transcript.hallucinations.slice(0, MAX_FLAGS_IN_META),
      hallucination_count: flags,
    },
    message: transcribedMessage(transcript.empty, words, pieces.length, transcript.language, flags),
  }
}

/** "1,234 words in 4 pieces (en); 2 possible hallucinations" or "no speech found: empty transcript". */
export function transcribedMessage(empty: boolean, words: number, pieces: number, language: string | null, flags: number): string {
  const head = empty ? 'no speech found: empty transcript' : `${words.toLocaleString('en-US')} words in ${pieces} piece${pieces === 1 ? '' : 's'}${language ? ` (${language})` : ''}`
  return flags === 0 ? head : `${head}; ${flags} possible hallucination${flags === 1 ? '' : 's'} flagged`
}

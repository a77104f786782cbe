import { rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { RecflowError } from '../domain/errors.js'
import { requireCapabilities, type MediaCapabilities } from './capabilities.js'
import { normalizeIntervals } from './intervals.js'
import { writeViaPartFile } from './part-file.js'
import { assertHasAudio } from './probe.js'
import { assertToolSucceeded, runFfmpeg } from './runner.js'
import { formatSeconds } from './time-format.js'
import type { Interval, MediaInfo, MediaRunOptions, MediaTools } from './types.js'

/**
 * Audio for speech recognition: mono 16 kHz (what ASR models resample to anyway), constant bit rate so that
 * a piece's size is predictable from its duration, split at silences when the provider limits upload sizes.
 */

export interface AsrAudioFormat {
  codec: 'opus' | 'mp3'
  encoder: 'libopus' | 'libmp3lame'
  muxer: 'ogg' | 'mp3'
  extension: 'ogg' | 'mp3'
  bitrateKbps: number
  /** Upper estimate of bytes per second of output, container overhead included. */
  bytesPerSecond: number
}

/**
 * Opus in Ogg at 24 kbit/s (CBR) when the encoder exists, else MP3 at 24 kbit/s (CBR): either stays under
 * 11 MB per hour of audio (an issue #8 limit: at most 12 MB per hour sent to a provider).
 */
export function chooseAsrAudioFormat(caps: MediaCapabilities): AsrAudioFormat {
  if (caps.encoders.libopus) {
    // Ogg pages add ~1-2 % on top of the Opus payload.
    return { codec: 'opus', encoder: 'libopus', muxer: 'ogg', extension: 'ogg', bitrateKbps: 24, bytesPerSecond: 3000 * 1.04 }
  }
  requireCapabilities(caps, { encoders: ['libmp3lame'] }, 'encode audio for transcription (needs libopus or libmp3lame)')
  return { codec: 'mp3', encoder: 'libmp3lame', muxer: 'mp3', extension: 'mp3', bitrateKbps: 24, bytesPerSecond: 3000 * 1.01 }
}

export interface AsrAudioArgsInput {
  input: string
  output: string
  format: AsrAudioFormat
  audioStreamIndex?: number
  /** Piece bounds in the input timeline; omitted = the whole input. */
  startS?: number
  durationS?: number
}

/**
 * Input seeking with re-encoding is sample-accurate, so a piece starts exactly at its recorded offset. The
 * encoder runs at its cheapest setting, as the `audio` application (CELT rather than the SILK speech coder):
 * speech recognition gains nothing audible from the extra effort, and a 3-hour recording is encoded on every
 * transcription. Measured on generated speech: complexity 0 `audio` 1.8 s of CPU where `voip` takes 5.5 s, and
 * complexity 10 about six times more again.
 */
export function asrAudioArgs(a: AsrAudioArgsInput): string[] {
  const start = a.startS ?? 0
  return [
    '-v', 'error',
    ...(start > 0 ? ['-ss', formatSeconds(start)] : []),
    '-i', a.input,
    ...(a.durationS !== undefined ? ['-t', formatSeconds(a.durationS)] : []),
    '-map', a.audioStreamIndex === undefined ? '0:a:0' : `0:${a.audioStreamIndex}`,
    '-vn', '-sn', '-dn',
    '-map_metadata', '-1',
    '-ac', '1',
    '-ar', '16000',
    '-c:a', a.format.encoder,
    '-b:a', `${a.format.bitrateKbps}k`,
    ...(a.format.encoder === 'libopus' ? ['-vbr', 'off', '-application', 'audio'] : []),
    '-compression_level', a.format.encoder === 'libopus' ? '0' : '9',
    '-f', a.format.muxer,
    '-y', a.output,
  ]
}

export interface AudioPiece {
  offsetS: number
  durationS: number
}

/** Room for container headers that do not scale with duration. */
const HEADER_BYTES = 16 * 1024
/** Pieces are planned this much under the limit, for bit-rate wobble. */
const SIZE_SAFETY = 0.95
/** A split point closer than this to the piece start would make a uselessly short piece. */
const MIN_PIECE_S = 1
/** How far from a silence's edges a split may land (short silences are split in their middle). */
const SILENCE_GUARD_S = 1

/** The longest piece whose estimated size stays under maxBytes (headers and bit-rate wobble allowed for). */
export function maxPieceSeconds(bytesPerSecond: number, maxBytes: number): number {
  return (maxBytes * SIZE_SAFETY - HEADER_BYTES) / bytesPerSecond
}

/**
 * Splits [0, durationS] into pieces whose estimated size stays under maxBytes. Each split lands at the latest
 * safe point inside a silence that fits: the middle of a short silence, or, in a long one, anywhere at least
 * SILENCE_GUARD_S from its edges (silence boundaries are fuzzy: quiet speech onsets fall below the threshold).
 * A stretch without any usable silence is cut hard at the limit.
 */
export function planAudioPieces(input: {
  durationS: number
  silences: readonly Interval[]
  bytesPerSecond: number
  maxBytes?: number
}): AudioPiece[] {
  const { durationS, bytesPerSecond } = input
  if (!(durationS > 0)) throw new RecflowError('validation', `cannot split audio of duration ${durationS}`)
  if (input.maxBytes === undefined) return [{ offsetS: 0, durationS }]
  const maxPieceS = maxPieceSeconds(bytesPerSecond, input.maxBytes)
  if (!(maxPieceS >= MIN_PIECE_S * 2)) {
    throw new RecflowError('validation', `an upload limit of ${input.maxBytes} bytes is too small for transcription audio`, {
      hint: 'Check the transcription provider settings.',
    })
  }
  const silences = normalizeIntervals(input.silences, durationS)
  const pieces: AudioPiece[] = []
  let start = 0
  while (durationS - start > maxPieceS) {
    const limit = start + maxPieceS
    let cut = limit
    for (const s of silences) {
      if (s.start >= limit) break
      const guard = Math.min((s.end - s.start) / 2, SILENCE_GUARD_S)
      const point = Math.min(s.end - guard, limit)
      if (point >= s.start + guard - 1e-9 && point > start + MIN_PIECE_S) cut = point
    }
    pieces.push({ offsetS: start, durationS: cut - start })
    start = cut
  }
  pieces.push({ offsetS: start, durationS: durationS - start })
  return pieces
}

export interface AsrAudioFile extends AudioPiece {
  path: string
  sizeBytes: number
}

export interface ExtractAsrAudioOptions {
  /** Directory for the pieces (the recording's own folder). */
  outputDir: string
  /** File name stem: `<stem>.ogg`, or `<stem>-000.ogg`, `<stem>-001.ogg`, ... when split. */
  stem?: string
  format: AsrAudioFormat
  /** The provider's upload limit; omitted = one piece. */
  maxBytes?: number
  /** Where splitting is harmless (from detectSilence on the same input). */
  silences?: readonly Interval[]
}

/**
 * Encodes the pieces one by one (each ffmpeg run reads only its range) and returns them with their offsets in
 * the input timeline, so transcript timestamps can be stitched back exactly. On failure or cancellation the
 * pieces written by this call are removed.
 */
export async function extractAsrAudio(
  tools: MediaTools,
  media: MediaInfo,
  opts: ExtractAsrAudioOptions,
  run: MediaRunOptions = {},
): Promise<AsrAudioFile[]> {
  assertHasAudio(media, 'prepare audio for transcription')
  const pieces = planAudioPieces({
    durationS: media.durationS,
    silences: opts.silences ?? [],
    bytesPerSecond: opts.format.bytesPerSecond,
    maxBytes: opts.maxBytes,
  })
  const stem = opts.stem ?? 'asr'
  const written: AsrAudioFile[] = []
  let doneS = 0
  try {
    for (const [i, piece] of pieces.entries()) {
      const name = pieces.length === 1 ? `${stem}.${opts.format.extension}` : `${stem}-${String(i).padStart(3, '0')}.${opts.format.extension}`
      const whole = pieces.length === 1
      const file = await encodeAsrPiece(tools, media, { piece, output: path.join(opts.outputDir, name), format: opts.format, whole, maxBytes: opts.maxBytes }, {
        signal: run.signal,
        onProgress: (p) =>
          run.onProgress?.({
            ...p,
            outTimeS: doneS + p.outTimeS,
            percent: Math.min(100, ((doneS + Math.min(p.outTimeS, piece.durationS)) / media.durationS) * 100),
            done: p.done && i === pieces.length - 1,
          }),
      })
      written.push(file)
      doneS += piece.durationS
    }
    return written
  } catch (e) {
    await Promise.all(written.map((w) => rm(w.path, { force: true })))
    throw e
  }
}

/**
 * Encodes one piece (`whole`: the entire input, no seeking) into `output` via a `.part` file and returns it with
 * its size. A piece over `maxBytes` is removed and refused: the provider would reject it.
 */
export async function encodeAsrPiece(
  tools: MediaTools,
  media: MediaInfo,
  opts: { piece: AudioPiece; output: string; format: AsrAudioFormat; whole?: boolean; maxBytes?: number },
  run: MediaRunOptions = {},
): Promise<AsrAudioFile> {
  const { piece } = opts
  await writeViaPartFile(opts.output, async (part) => {
    const args = asrAudioArgs({
      input: media.path,
      output: part,
      format: opts.format,
      audioStreamIndex: media.audio?.index,
      ...(opts.whole ? {} : { startS: piece.offsetS, durationS: piece.durationS }),
    })
    const result = await runFfmpeg(tools, args, { signal: run.signal, durationS: piece.durationS, onProgress: run.onProgress })
    assertToolSucceeded(result, `extracting transcription audio from ${media.path}`)
  })
  const sizeBytes = (await stat(opts.output)).size
  if (opts.maxBytes !== undefined && sizeBytes > opts.maxBytes) {
    await rm(opts.output, { force: true })
    throw new RecflowError('internal', `transcription audio piece ${path.basename(opts.output)} is ${sizeBytes} bytes, over the ${opts.maxBytes}-byte limit`)
  }
  return { ...piece, path: opts.output, sizeBytes }
}

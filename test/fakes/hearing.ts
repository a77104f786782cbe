import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { probeMedia } from '../../src/media/probe.js'
import { detectSilence } from '../../src/media/silence.js'
import type { MediaTools } from '../../src/media/types.js'
import { systemOrBundledTools } from '../fixtures/media/generate.js'
import { MEDIA_CACHE_ROOT, mediaCacheKey, sourceOf } from '../support/media-cache.js'

/*
 * What the transcription fakes "hear" in an uploaded file, so timestamps are real: ffmpeg silencedetect finds
 * the non-silent spans, and each span gets English words evenly across it (about 2.5 a second) and segments of
 * at most 12 words. The synthetic mode (for benchmarks) runs no ffmpeg: the duration comes from the Ogg
 * stream's last granule position (or the size, for other formats) and words cover the whole file.
 *
 * What was heard is kept by the audio's identity (audioIdentity: an Ogg file without its random serial numbers),
 * in memory and in the test media cache (test/support/media-cache.ts, `off` turns it off): the stage encodes the
 * same Opus packets on every run, so a file heard once by ffmpeg is not decoded again. The key holds the sources
 * of the hearing (this file, silence detection, the probe) and the ffmpeg, so changing any of them hears afresh.
 */

export interface HeardWord {
  word: string
  start: number
  end: number
}

export interface HeardSegment {
  text: string
  start: number
  end: number
  words: HeardWord[]
}

export interface Hearing {
  durationS: number
  words: HeardWord[]
  segments: HeardSegment[]
  text: string
}

export const WORDS_PER_SECOND = 2.5
const SEGMENT_WORDS = 12
const VOCABULARY = (
  'today we look at how recordings become lectures that people can watch again later with subtitles chapters and ' +
  'a short summary first the audio is split where the speaker pauses then every piece is sent to the service ' +
  'which answers with words and their times finally the pieces are stitched back together so that each word ' +
  'lands exactly where it was spoken in the processed video'
).split(' ')

/** Silence as the fakes hear it: quieter than -35 dB for at least 0.5 s. */
export const HEARING_SILENCE = { thresholdDb: -35, minSilenceS: 0.5 }

let toolsPromise: Promise<MediaTools> | undefined
const tools = () => (toolsPromise ??= systemOrBundledTools())

// The same audio is heard the same way: tests that upload one clip many times run ffmpeg once for it.
const heardBefore = new Map<string, Promise<Hearing | null>>()

/** Hears an uploaded file; null when ffmpeg cannot decode it (the fake answers 400). */
export function hearAudio(bytes: Uint8Array, fileName: string): Promise<Hearing | null> {
  const key = crypto.createHash('sha256').update(audioIdentity(bytes)).update(path.extname(fileName)).digest('hex')
  let heard = heardBefore.get(key)
  if (!heard) {
    if (heardBefore.size >= 64) heardBefore.delete(heardBefore.keys().next().value!)
    heard = hearOrRecall(key, bytes, fileName)
    heardBefore.set(key, heard)
  }
  return heard
}

const HERE = path.dirname(fileURLToPath(import.meta.url))
const HEARING_SOURCES = ['hearing.ts', '../../src/media/silence.ts', '../../src/media/probe.ts'].map((f) => sourceOf(path.join(HERE, f)))

/** A hearing kept in the media cache, else heard now and kept (only decodable audio: a refusal costs little). */
async function hearOrRecall(identity: string, bytes: Uint8Array, fileName: string): Promise<Hearing | null> {
  if (MEDIA_CACHE_ROOT === 'off') return listen(bytes, fileName)
  const t = await tools()
  const file = path.join(MEDIA_CACHE_ROOT, 'hearing', `${mediaCacheKey('hearAudio', identity, HEARING_SOURCES, t.ffmpeg.path, t.ffmpeg.version)}.json`)
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Hearing
  } catch {
    // Not heard yet (or a torn file): hear it.
  }
  const heard = await listen(bytes, fileName)
  if (heard) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`
    fs.writeFileSync(tmp, JSON.stringify(heard))
    fs.renameSync(tmp, file)
  }
  return heard
}

/**
 * The bytes that decide what is heard. An Ogg file whose every page is well formed with a correct checksum, with
 * each page's stream serial number and checksum zeroed: ffmpeg's Ogg muxer picks a random serial on every encode,
 * so the same Opus packets come out as different bytes. Anything else (another format, a damaged page) as it is.
 */
export function audioIdentity(bytes: Uint8Array): Uint8Array {
  const out = Buffer.from(bytes)
  let pos = 0
  while (pos < out.length) {
    if (pos + 27 > out.length || out.toString('latin1', pos, pos + 4) !== 'OggS') return bytes
    const segments = out[pos + 26]!
    if (pos + 27 + segments > out.length) return bytes
    let body = 0
    for (let i = 0; i < segments; i++) body += out[pos + 27 + i]!
    const end = pos + 27 + segments + body
    if (end > out.length) return bytes
    const crc = out.readUInt32LE(pos + 22)
    out.fill(0, pos + 22, pos + 26)
    if (oggCrc(out.subarray(pos, end)) !== crc) return bytes
    out.fill(0, pos + 14, pos + 18)
    pos = end
  }
  return pos > 0 ? out : bytes
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, i) => {
  let r = i << 24
  for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1
  return r >>> 0
})

/** The Ogg page checksum (CRC-32, polynomial 0x04c11db7, not reflected, initial value 0), over the page with its checksum field zeroed. */
export function oggCrc(page: Uint8Array): number {
  let crc = 0
  for (const byte of page) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0
  return crc
}

async function listen(bytes: Uint8Array, fileName: string): Promise<Hearing | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-fake-asr-'))
  const file = path.join(dir, `upload${path.extname(fileName) || '.bin'}`)
  try {
    fs.writeFileSync(file, bytes)
    const t = await tools()
    let info
    try {
      info = await probeMedia(t, file)
    } catch {
      return null
    }
    if (!info.audio) return null
    const silences = await detectSilence(t, info, HEARING_SILENCE)
    return wordsOver(speechSpans(silences, info.durationS), info.durationS)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The complement of the silences in [0, durationS], dropping slivers under 0.2 s. */
export function speechSpans(silences: Array<{ start: number; end: number }>, durationS: number): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = []
  let cursor = 0
  for (const s of [...silences].sort((a, b) => a.start - b.start)) {
    if (s.start - cursor >= 0.2) spans.push({ start: cursor, end: s.start })
    cursor = Math.max(cursor, s.end)
  }
  if (durationS - cursor >= 0.2) spans.push({ start: cursor, end: durationS })
  return spans
}

const r3 = (x: number) => Math.round(x * 1000) / 1000

/** Words evenly across each span (the first word at the span's start), segments of at most 12 words. */
export function wordsOver(spans: Array<{ start: number; end: number }>, durationS: number): Hearing {
  const words: HeardWord[] = []
  const segments: HeardSegment[] = []
  for (const span of spans) {
    const length = span.end - span.start
    const n = Math.max(1, Math.round(length * WORDS_PER_SECOND))
    const slot = length / n
    const spanWords: HeardWord[] = []
    for (let i = 0; i < n; i++) {
      const start = span.start + i * slot
      spanWords.push({ word: VOCABULARY[words.length % VOCABULARY.length]!, start: r3(start), end: r3(start + slot * 0.85) })
      words.push(spanWords[spanWords.length - 1]!)
    }
    for (let i = 0; i < spanWords.length; i += SEGMENT_WORDS) {
      const part = spanWords.slice(i, i + SEGMENT_WORDS)
      segments.push({ text: part.map((w) => w.word).join(' '), start: part[0]!.start, end: part[part.length - 1]!.end, words: part })
    }
  }
  return { durationS: r3(durationS), words, segments, text: segments.map((s) => s.text).join(' ') }
}

/** Synthetic hearing: no ffmpeg, speech all the way through. */
export function syntheticHearing(bytes: Uint8Array): Hearing {
  const durationS = oggDurationS(bytes) ?? bytes.length / 3000
  return wordsOver(durationS > 0 ? [{ start: 0, end: durationS }] : [], durationS)
}

/** An Ogg Opus file's duration from its last page's granule position (48 kHz) minus the pre-skip. */
export function oggDurationS(bytes: Uint8Array): number | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.subarray(0, 4).toString('latin1') !== 'OggS') return undefined
  const last = buf.lastIndexOf('OggS', undefined, 'latin1')
  if (last < 0 || last + 14 > buf.length) return undefined
  const granule = Number(buf.readBigUInt64LE(last + 6))
  const head = buf.indexOf('OpusHead', 0, 'latin1')
  const preSkip = head >= 0 && head + 12 <= buf.length ? buf.readUInt16LE(head + 10) : 0
  return Math.max(0, (granule - preSkip) / 48000)
}

import path from 'node:path'
import { RecflowError } from '../domain/errors.js'

/**
 * Outputs are written to `<name>.part` and renamed, so ffmpeg cannot guess the muxer from the extension:
 * it is chosen here from the final name.
 */

export interface Container {
  /** ffmpeg muxer name for `-f`. */
  muxer: string
  /** MP4-family muxers take `-movflags +faststart` (index first, playable while downloading). */
  faststart: boolean
  /** Audio encoder to use when re-encoding into this container. */
  audioEncoder: 'aac' | 'libmp3lame' | 'libopus' | 'pcm_s16le' | 'flac'
  /** Whether the container can hold the H.264 video we re-encode to. */
  holdsH264: boolean
}

const CONTAINERS: Record<string, Container> = {
  mp4: { muxer: 'mp4', faststart: true, audioEncoder: 'aac', holdsH264: true },
  m4v: { muxer: 'mp4', faststart: true, audioEncoder: 'aac', holdsH264: true },
  m4a: { muxer: 'ipod', faststart: true, audioEncoder: 'aac', holdsH264: false },
  mov: { muxer: 'mov', faststart: true, audioEncoder: 'aac', holdsH264: true },
  mkv: { muxer: 'matroska', faststart: false, audioEncoder: 'aac', holdsH264: true },
  mka: { muxer: 'matroska', faststart: false, audioEncoder: 'aac', holdsH264: false },
  webm: { muxer: 'webm', faststart: false, audioEncoder: 'libopus', holdsH264: false },
  ts: { muxer: 'mpegts', faststart: false, audioEncoder: 'aac', holdsH264: true },
  aac: { muxer: 'adts', faststart: false, audioEncoder: 'aac', holdsH264: false },
  mp3: { muxer: 'mp3', faststart: false, audioEncoder: 'libmp3lame', holdsH264: false },
  ogg: { muxer: 'ogg', faststart: false, audioEncoder: 'libopus', holdsH264: false },
  oga: { muxer: 'ogg', faststart: false, audioEncoder: 'libopus', holdsH264: false },
  opus: { muxer: 'ogg', faststart: false, audioEncoder: 'libopus', holdsH264: false },
  wav: { muxer: 'wav', faststart: false, audioEncoder: 'pcm_s16le', holdsH264: false },
  flac: { muxer: 'flac', faststart: false, audioEncoder: 'flac', holdsH264: false },
}

export function containerForPath(file: string): Container {
  const ext = path.extname(file).slice(1).toLowerCase()
  const container = CONTAINERS[ext]
  if (!container) {
    throw new RecflowError('validation', `recflow cannot write media files with the extension "${ext || '(none)'}" (${file})`, {
      hint: `Use one of: ${Object.keys(CONTAINERS).map((e) => `.${e}`).join(', ')}.`,
    })
  }
  return container
}

/**
 * Recognises an audio or video container from a file's first bytes, without ffprobe. `recflow sync` uses it to
 * take in thousands of files quickly: a file whose bytes announce a known container is recorded at once and
 * probed when it is first processed; anything else (a text file named .mp4, an unknown container) is probed at
 * sync, so files that are plainly not media are reported at sync as before. Pure: bytes in, a name out.
 *
 * A signature only says what the file claims to be: a truncated or damaged file with a good header still passes,
 * and is caught by the probe at its first processing.
 */
export function containerFromSignature(head: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to))
  const starts = (bytes: readonly number[], at = 0) => bytes.every((b, i) => head[at + i] === b)
  if (head.length < 4) return undefined
  // ISO base media (MP4, M4A, MOV, 3GP): a box size then a top-level box type.
  if (head.length >= 8 && ISO_BMFF_BOXES.has(ascii(4, 8))) return 'mp4'
  if (starts([0x1a, 0x45, 0xdf, 0xa3])) return 'matroska' // EBML: Matroska, WebM
  const riff = ascii(0, 4)
  if ((riff === 'RIFF' || riff === 'RF64' || riff === 'BW64') && head.length >= 12) {
    const form = ascii(8, 12)
    if (form === 'WAVE') return 'wav'
    if (form === 'AVI ') return 'avi'
  }
  if (riff === 'FORM' && head.length >= 12 && /^AIF[FC]$/.test(ascii(8, 12))) return 'aiff'
  if (ascii(0, 3) === 'ID3') return 'mp3' // ID3v2 tag in front of MPEG audio (or ADTS AAC)
  if (riff === 'OggS') return 'ogg'
  if (riff === 'fLaC') return 'flac'
  if (riff === 'caff') return 'caf'
  if (ascii(0, 3) === 'FLV' && head[3] === 1) return 'flv'
  if (starts([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return 'asf' // WMV, WMA
  if (starts([0x00, 0x00, 0x01, 0xba])) return 'mpeg' // MPEG program stream
  if (head[0] === 0x47 && head.length > 376 && head[188] === 0x47 && head[376] === 0x47) return 'mpegts'
  if (ascii(0, 5) === '#!AMR') return 'amr'
  // An MPEG audio frame (MP3) or an ADTS frame (AAC) without a tag: 11 set sync bits, then a valid layer/version.
  const b0 = head[0] as number
  const b1 = head[1] as number
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08) {
    const layer = (b1 >> 1) & 0x03
    if (layer !== 0) return 'mp3'
    if ((b1 & 0xf6) === 0xf0) return 'aac'
  }
  return undefined
}

const ISO_BMFF_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid', 'styp'])

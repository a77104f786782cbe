import { open } from 'node:fs/promises'

/**
 * Just enough of the ISO BMFF (MP4) box layout to find the size of the `moov` index. A stream-copy trim can
 * then reserve that much room at the front of the output (`-moov_size`), which gives a "faststart" file in one
 * pass; `-movflags +faststart` would rewrite the whole output a second time (+67 % wall time on a 3 GB file).
 */

export interface BoxHeader {
  type: string
  /** Total box size in bytes including the header; 0 means "to the end of the file". */
  size: number
  headerSize: number
}

/** Pure: reads a box header from up to 16 bytes. */
export function parseBoxHeader(bytes: Uint8Array): BoxHeader | undefined {
  if (bytes.length < 8) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const size32 = view.getUint32(0)
  const type = String.fromCharCode(bytes[4] ?? 0, bytes[5] ?? 0, bytes[6] ?? 0, bytes[7] ?? 0)
  if (!/^[\x20-\x7e]{4}$/.test(type)) return undefined
  if (size32 === 1) {
    if (bytes.length < 16) return undefined
    return { type, size: Number(view.getBigUint64(8)), headerSize: 16 }
  }
  if (size32 !== 0 && size32 < 8) return undefined
  return { type, size: size32, headerSize: 8 }
}

const MAX_TOP_LEVEL_BOXES = 1000

/** Size of the top-level `moov` box, or undefined when the file is not a well-formed MP4/MOV. */
export async function findMoovSize(file: string): Promise<number | undefined> {
  const handle = await open(file, 'r')
  try {
    const { size: fileSize } = await handle.stat()
    const buf = new Uint8Array(16)
    let pos = 0
    for (let i = 0; i < MAX_TOP_LEVEL_BOXES && pos + 8 <= fileSize; i++) {
      const { bytesRead } = await handle.read(buf, 0, 16, pos)
      const box = parseBoxHeader(buf.subarray(0, bytesRead))
      if (!box) return undefined
      if (box.type === 'moov') return box.size === 0 ? fileSize - pos : box.size
      if (box.size === 0) return undefined
      pos += box.size
    }
    return undefined
  } finally {
    await handle.close()
  }
}

/**
 * Room to reserve for the output's index. A trim keeps a subset of the samples, so the input's index size
 * plus a margin (edit lists, metadata) is enough; too little makes ffmpeg fail and we fall back to a rewrite.
 */
export function moovReservation(inputMoovSize: number): number {
  return Math.ceil(inputMoovSize * 1.05) + 64 * 1024
}

import fs from 'node:fs/promises'
import { chaptersWebVtt, type Chapter } from '../../domain/metadata/index.js'
import { chapterList } from '../../domain/metadata/index.js'
import { writeFileAtomicSync } from '../../platform/atomic-fs.js'
import type { RecordingFiles } from '../pipeline/recording-files.js'

/**
 * Writes the WebVTT chapters file (files.chapters) for a topic set, or removes a stale one when the topics make no
 * valid chapter list (fewer than 3 chapters of 10 s). Returns the chapters written.
 */
export async function writeChaptersFile(files: Pick<RecordingFiles, 'chapters'>, topics: ReadonlyArray<{ title: string; start: number }>, durationS: number): Promise<Chapter[]> {
  const vtt = chaptersWebVtt(topics, durationS)
  if (vtt === null) {
    await fs.rm(files.chapters, { force: true })
    return []
  }
  writeFileAtomicSync(files.chapters, vtt)
  return chapterList(topics, durationS).chapters
}

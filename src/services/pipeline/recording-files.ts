import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Where a recording's artefacts live: `media/user_<uid>/rec_<id>/`, one folder per recording, so no two
 * recordings can ever pick up each other's files (a pitfall of the reference system).
 */
export function recordingDir(mediaDir: string, userId: number, recordingId: number): string {
  return path.join(userMediaDir(mediaDir, userId), `rec_${recordingId}`)
}

/** Everything of one user's media: `media/user_<uid>/` (made at registration, removed with the account). */
export function userMediaDir(mediaDir: string, userId: number): string {
  return path.join(mediaDir, `user_${userId}`)
}

export function recordingFiles(mediaDir: string, userId: number, recordingId: number, sourceExt: string) {
  const dir = recordingDir(mediaDir, userId, recordingId)
  const ext = sourceExt.toLowerCase() || '.mp4'
  return {
    dir,
    processed: path.join(dir, `processed${ext}`),
    editList: path.join(dir, 'edit-list.json'),
    poster: path.join(dir, 'poster.jpg'),
    transcript: path.join(dir, 'transcript.json'),
    /** The transcript as readable text (paragraphs by segment). */
    transcriptText: path.join(dir, 'transcript.txt'),
    /**
     * Transcription audio pieces (asr.ogg or asr-000.ogg, ...), each removed once answered; the answers (asr.json or
     * asr-000.json, ...) are kept until TRANSCRIBE completes, so a failed attempt's paid work is reused.
     */
    asrStem: 'asr',
    /** WebVTT chapters file from the active topics. */
    chapters: path.join(dir, 'chapters.vtt'),
    srt: path.join(dir, 'subtitles.srt'),
    vtt: path.join(dir, 'subtitles.vtt'),
  }
}

export type RecordingFiles = ReturnType<typeof recordingFiles>

/**
 * Removes the `*.part` files a killed attempt (SIGKILL, power loss) left in a recording's folder. Unlinking
 * matters even where the next write would overwrite the name: an orphaned ffmpeg of the dead process may still
 * be writing to the old file, and must not write into the new one. A Zoom download's partial file
 * (`source.<ext>.download`, see zoom-download.ts) is not a `.part` on purpose: only the dead process wrote it, and
 * the next run resumes it from its size.
 */
export async function removeLeftoverParts(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[])
  const parts = names.filter((n) => n.endsWith('.part')).map((n) => path.join(dir, n))
  await Promise.all(parts.map((p) => fs.rm(p, { force: true })))
  return parts
}

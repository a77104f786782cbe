import path from 'node:path'

/**
 * Where a recording's artefacts live: `media/user_<uid>/rec_<id>/`, one folder per recording, so no two
 * recordings can ever pick up each other's files (a pitfall of the reference system).
 */
export function recordingDir(mediaDir: string, userId: number, recordingId: number): string {
  return path.join(mediaDir, `user_${userId}`, `rec_${recordingId}`)
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
    srt: path.join(dir, 'subtitles.srt'),
    vtt: path.join(dir, 'subtitles.vtt'),
  }
}

export type RecordingFiles = ReturnType<typeof recordingFiles>

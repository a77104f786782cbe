/** The files of a recording a client may download (`GET /recordings/{id}/files/{kind}`): a fixed list, never a path. */
export const RECORDING_FILE_KINDS = ['transcript', 'srt', 'vtt', 'topics', 'video'] as const
export type RecordingFileKind = (typeof RECORDING_FILE_KINDS)[number]

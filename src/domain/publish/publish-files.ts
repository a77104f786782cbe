import { POSTER_THUMBNAIL } from '../resources/preset-metadata.js'

/** The files of a recording a request may attach, found by the service from the stages' outputs. */
export interface PublishFiles {
  /** The poster frame PROCESS extracted (a JPEG), when there is one. */
  poster?: string
  /** The GENERATE_SUBTITLES SubRip file and the transcript's language, when there are subtitles. */
  subtitles?: { file: string; language?: string | null }
  /** The language TRANSCRIBE reported for the audio (a code such as 'de', or, from some transcribers, a name). */
  spokenLanguage?: string | null
}

export type ImageType = 'image/jpeg' | 'image/png'

/** JPEG or PNG by the file's extension (the preset schema accepts only .jpg, .jpeg and .png). */
export const imageType = (file: string): ImageType => (/\.png$/i.test(file) ? 'image/png' : 'image/jpeg')

/**
 * The image a preset's `thumbnail` names: its file, or the poster frame for `poster` (left out, with a warning,
 * while the recording has none yet).
 */
export function thumbnailFor(thumbnail: string | undefined, files: PublishFiles, warnings: string[]): { file: string; contentType: ImageType } | undefined {
  if (thumbnail === undefined) return undefined
  if (thumbnail !== POSTER_THUMBNAIL) return { file: thumbnail, contentType: imageType(thumbnail) }
  if (files.poster === undefined) {
    warnings.push('no poster frame yet (the video is not processed): thumbnail left out')
    return undefined
  }
  return { file: files.poster, contentType: 'image/jpeg' }
}

export * from './build-cues.js'
export * from './cue-limits.js'
export { cueLines } from './cue-lines.js'
export * from './write-subtitles.js'

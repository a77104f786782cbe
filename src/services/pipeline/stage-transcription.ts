/*
 * The three speech stages, one file each (stage-transcribe.ts, stage-topics.ts, stage-subtitles.ts); re-exported
 * here under their original names.
 */
export { transcribeStage } from './stage-transcribe.js'
export { topicsStage } from './stage-topics.js'
export { subtitlesStage } from './stage-subtitles.js'

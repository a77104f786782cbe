/** The media layer's public surface: services import from here, never from the files behind it. */
export * from './types.js'
export { locateMediaTools, locateTool, findOnPath, bundledToolPath, type LocateOptions, type ToolName } from './binaries.js'
export { probeCapabilities, requireCapabilities, type MediaCapabilities, type EncoderName, type FilterName } from './capabilities.js'
export { MediaToolbox, type MediaToolsReport } from './toolbox.js'
export { runFfmpeg, runFfprobe, assertToolSucceeded, type RunResult } from './runner.js'
export { probeMedia, assertHasAudio, assertNotTruncated, type ProbeOptions } from './probe.js'
export { containerFromSignature } from './container-signature.js'
export { detectSilence, detectSilenceIn, silencedetectArgs, parseSilenceDetect, type SilenceOptions, type PendingProbe } from './silence.js'
export { OutputSet } from './output-set.js'
export { listKeyframes, listKeyframesCheckingEnd } from './keyframes.js'
export {
  planEdgesTrim,
  planPausesTrim,
  speechSpan,
  edgesKeyframeWindow,
  type TrimMode,
  type TrimPlan,
  type EdgesTrimPlan,
} from './trim-plan.js'
export { planTrimForMedia, type TrimSettings } from './plan-trim-for-media.js'
export { describeTrimPlan } from './describe-trim-plan.js'
export { trimMedia, edgesTrimArgs, pausesTrimArgs, type TrimResult } from './trim.js'
export {
  editListSchema,
  identityEditList,
  mapTime,
  unmapTime,
  mapInterval,
  processedDuration,
  type EditList,
} from './edit-list.js'
export {
  chooseAsrAudioFormat,
  asrAudioArgs,
  planAudioPieces,
  extractAsrAudio,
  encodeAsrPiece,
  maxPieceSeconds,
  type AsrAudioFormat,
  type AsrAudioFile,
  type AudioPiece,
} from './asr-audio.js'
export { extractPoster, posterArgs, clampPosterTime, type Poster } from './poster.js'

import type { PipelineStage, RecflowEvent } from '../../domain/events.js'

/** Rough share of a run's wall time per stage (trimming dominates until transcription lands). */
const WEIGHTS: Record<PipelineStage, number> = {
  SYNC: 0,
  DOWNLOAD: 5,
  PROCESS: 70,
  TRANSCRIBE: 5,
  EXTRACT_TOPICS: 5,
  GENERATE_SUBTITLES: 5,
  UPLOAD: 10,
}
const ORDER: PipelineStage[] = ['DOWNLOAD', 'PROCESS', 'TRANSCRIBE', 'EXTRACT_TOPICS', 'GENERATE_SUBTITLES', 'UPLOAD']
const TOTAL = ORDER.reduce((sum, s) => sum + WEIGHTS[s], 0)

/** A task's overall 0-100 from a stage event: the stages before it count as done. Null for events that say nothing. */
export function overallProgress(event: RecflowEvent): { percent: number; stage: PipelineStage; message?: string } | null {
  if (event.type !== 'progress' && event.type !== 'stage-started' && event.type !== 'stage-finished') return null
  const index = ORDER.indexOf(event.stage)
  if (index === -1) return null
  const before = ORDER.slice(0, index).reduce((sum, s) => sum + WEIGHTS[s], 0)
  const within = event.type === 'progress' ? event.percent : event.type === 'stage-finished' ? 100 : 0
  const percent = ((before + (WEIGHTS[event.stage] * Math.min(100, Math.max(0, within))) / 100) / TOTAL) * 100
  return { percent, stage: event.stage, message: event.type === 'stage-finished' ? event.message : undefined }
}

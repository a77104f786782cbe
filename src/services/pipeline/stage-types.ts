import type { Recording, UserScope } from '../../db/index.js'
import type { ProcessingConfig } from '../../domain/config/index.js'
import type { StageType } from '../../domain/status/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import type { PipelineStage, RecflowEvent } from '../../domain/events.js'
import type { RecordingFiles } from './recording-files.js'

/** Everything one stage needs; built by the runner for each stage from fresh rows (never held across stages). */
export interface StageContext {
  deps: ServiceDeps
  user: UserRef
  scope: UserScope
  recording: Recording
  config: ProcessingConfig
  files: RecordingFiles
  /** stage_meta of the stages completed before, by type (e.g. PROCESS -> {processed_file, ...}). */
  previous: Partial<Record<StageType, Record<string, unknown>>>
  dryRun: boolean
  signal: AbortSignal
  progress(percent: number, opts?: { etaS?: number; message?: string }): void
  emit(event: RecflowEvent): void
}

export type StageOutcome =
  | { status: 'COMPLETED'; meta: Record<string, unknown>; message?: string }
  | { status: 'SKIPPED'; reason: string }

export type StageHandler = (ctx: StageContext) => Promise<StageOutcome>

/** Exhaustive: a stage without a handler is a compile error. */
export type StageHandlers = Record<StageType, StageHandler>

export const skipped = (reason: string): StageOutcome => ({ status: 'SKIPPED', reason })

export const stageLabel = (stage: PipelineStage): string => stage.toLowerCase().replace(/_/g, ' ')

/**
 * The one shape of progress that long work reports (sync, pipeline stages, uploads). Services emit these through
 * `onEvent`; the job layer persists them (throttled) as task progress and task_events; the Ink view, the plain
 * line printer and the daemon's SSE stream consume the same objects.
 */
export type PipelineStage = 'SYNC' | 'DOWNLOAD' | 'PROCESS' | 'TRANSCRIBE' | 'EXTRACT_TOPICS' | 'GENERATE_SUBTITLES' | 'UPLOAD'

export type RecflowEvent =
  /** A recording entered the run (so views can add its row before any stage starts); isNew when it was just created. */
  | { type: 'recording'; recordingId: number; displayName: string; status: string; isNew?: boolean }
  | { type: 'stage-started'; recordingId: number; stage: PipelineStage; target?: string }
  /**
   * percent 0-100 of this stage; etaS seconds left for this stage when known. Uploads also give `bytes` sent (the
   * platform confirmed) of `totalBytes`, from which views show the speed and the time left.
   */
  | { type: 'progress'; recordingId: number; stage: PipelineStage; percent: number; etaS?: number; message?: string; target?: string; bytes?: number; totalBytes?: number }
  /** earlier: the stage was finished by an earlier run and was not redone. */
  | { type: 'stage-finished'; recordingId: number; stage: PipelineStage; outcome: 'completed' | 'skipped'; message?: string; target?: string; earlier?: boolean }
  | { type: 'stage-failed'; recordingId: number; stage: PipelineStage; message: string; hint?: string; target?: string }
  /**
   * The recording's pipeline failed outside any stage (its settings do not validate, its template is unreadable):
   * sent once its task has failed for good, so views count it failed instead of "not started".
   */
  | { type: 'recording-failed'; recordingId: number; message: string; hint?: string }
  /** Stopped by Ctrl-C or `tasks cancel`: not a failure, the next run starts the stage afresh. */
  | { type: 'stage-cancelled'; recordingId: number; stage: PipelineStage; target?: string }
  /** Sync of one source. */
  /** `found` counts the files handled so far, of `total` the folder offers ("synced 2000 of 10000"). */
  | { type: 'sync'; sourceId: number; sourceName: string; found: number; total?: number; created: number; changed: number; vanished: number }
  | { type: 'log'; level: 'info' | 'warn'; message: string; recordingId?: number }

export type EventSink = (event: RecflowEvent) => void

/** Options every long service call takes (STYLE.md "Signals everywhere"). */
export interface RunControl {
  signal?: AbortSignal
  onEvent?: EventSink
}

export const noopSink: EventSink = () => {}

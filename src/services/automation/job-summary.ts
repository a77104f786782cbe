import type { AutomationJob } from '../../db/index.js'
import { jobOptions } from './job-input.js'

/** One new recording a run would create, and what would become of it. */
export interface PlannedRecording {
  sourceId: number
  /** The file, relative to the source's folder. */
  file: string
  sizeBytes: number
  displayName: string
  templateId: number | null
  templateName: string | null
  /** Matched to one of the job's templates: its pipeline would be queued. */
  processed: boolean
  /** Where it would be published (none when the job's uploads are off). */
  publishTo: Array<{ presetId: number; name: string; platform: string }>
  /** Seconds, by ffprobe, for a file that would be processed (null: not processed, or not readable media). */
  durationS: number | null
  /** Its template's config transcribes (a provider set, transcription on). */
  transcribed: boolean
  /** USD per audio minute of that provider's model; null when unknown or not transcribed. */
  pricePerMinuteUsd: number | null
  /** durationS x price; null when either is unknown (0 when not transcribed). */
  transcriptionCostUsd: number | null
}

export interface PlannedSource {
  sourceId: number
  name: string
  platform: string
  /** Files the folder offers. */
  found: number
  /** Why nothing could be listed (a missing folder; a Zoom source, whose listing needs the network). */
  note?: string
}

export interface JobRunPlan {
  sources: PlannedSource[]
  recordings: PlannedRecording[]
  estimate: {
    /** Audio minutes the run would transcribe, among recordings whose duration is known. */
    transcriptionMinutes: number
    /** Recordings to transcribe whose length ffprobe could not read (not in the minutes or the cost). */
    unknownDurations: number
    /** Recordings to transcribe whose model has no known price (not in the cost). */
    unpriced: number
    /** US dollars for the recordings whose length and price are known; null when none is. */
    transcriptionCostUsd: number | null
    /** videos.insert 1600, thumbnail 50, playlist 50, captions 400 (when transcribed), per YouTube target. */
    youtubeQuotaUnits: number
  }
}

export type JobDryRun = JobRunSummary & { plan: JobRunPlan }

export interface JobRunError {
  code: string
  message: string
  sourceId?: number
  recordingId?: number
}

/** What one run of a job did (the recorded run's `result`, and what `execute` returns). */
export interface JobRunSummary {
  runId: number | null
  jobId: number
  jobName: string
  dryRun: boolean
  status: 'succeeded' | 'partial' | 'failed' | 'cancelled'
  scheduledFor: string | null
  startedAt: string
  finishedAt: string
  /** The sources synced (empty: every active source). */
  sourceIds: number[]
  /** Recordings the sync created or changed in those sources. */
  synced: number
  /** Of those, the ones matched to the job's templates (any template when the job names none). */
  matched: number
  /** Pipelines queued for them (one task per recording). */
  queued: number
  failed: number
  errors: JobRunError[]
  recordingIds: number[]
  taskIds: number[]
  upload: boolean
  /** Pipelines of this run that may run at once: the caller's worker runs the taskIds with this concurrency. */
  maxParallel: number
  /** A dry run's plan: what it would sync, match, process and publish (see job-dry-run.ts). */
  plan?: JobRunPlan
}

/** A run's summary before it has done anything (a real run fills it in as it goes; a dry run from its plan). */
export function startSummary(
  job: AutomationJob,
  at: { runId: number | null; dryRun: boolean; scheduledFor: Date | null; startedAt: Date; sourceIds: number[] },
): JobRunSummary {
  const { upload, maxParallel } = jobOptions(job)
  return {
    runId: at.runId,
    jobId: job.id,
    jobName: job.name,
    dryRun: at.dryRun,
    status: 'succeeded',
    scheduledFor: at.scheduledFor?.toISOString() ?? null,
    startedAt: at.startedAt.toISOString(),
    finishedAt: at.startedAt.toISOString(),
    sourceIds: at.sourceIds,
    synced: 0,
    matched: 0,
    queued: 0,
    failed: 0,
    errors: [],
    recordingIds: [],
    taskIds: [],
    upload,
    maxParallel,
  }
}

import { RecflowError } from '../domain/errors.js'
import { identityEditList, type EditList } from './edit-list.js'
import { complementIntervals, normalizeIntervals, totalLength } from './intervals.js'
import type { Interval } from './types.js'

/**
 * Pure trim planners: silences (+ keyframes) in, an edit list of kept intervals in ORIGINAL time out.
 *
 * All-silent input is refused with RecflowError('validation', 'no speech found'): silently keeping or dropping
 * the whole recording would both publish something nobody asked for, and the usual cause (a threshold above
 * the speaker's level) is something the user can fix.
 */

export type TrimMode = 'edges' | 'pauses'

export interface TrimPlan {
  mode: TrimMode
  editList: EditList
  /** Removed parts, original time. */
  cuts: Interval[]
  cutS: number
  keptS: number
  /** True when the plan keeps the whole recording; the stage may skip writing a new file. */
  nothingToCut: boolean
  /** First speech start and last speech end as detected (before padding). */
  speech: Interval
  /** True when the kept start is a video keyframe (edges mode with stream copy). */
  startsAtKeyframe: boolean
}

export interface EdgesTrimPlan extends TrimPlan {
  mode: 'edges'
  /** How much silence is actually kept before the first speech, after snapping to a keyframe. */
  keptBeforeSpeechS: number
}

const EPS = 1e-6

/** First speech start and last speech end: the complement of the silences. Throws when there is no speech. */
export function speechSpan(durationS: number, silences: readonly Interval[]): Interval {
  const speech = complementIntervals(normalizeIntervals(silences, durationS), durationS).filter((i) => i.end - i.start > EPS)
  const first = speech[0]
  const last = speech[speech.length - 1]
  if (!first || !last) {
    throw new RecflowError('validation', 'no speech found: the whole recording is below the silence threshold', {
      hint: 'Lower processing.silence_threshold (e.g. -50) if the speaker is quiet, or disable processing for this recording.',
    })
  }
  return { start: first.start, end: last.end }
}

/**
 * Where to look for keyframes before planning an edges trim: from the wanted cut point (speech start minus the
 * padding) to the speech start. null when nothing is cut at the start.
 */
export function edgesKeyframeWindow(input: { durationS: number; silences: readonly Interval[]; paddingBefore: number }): Interval | null {
  const speech = speechSpan(input.durationS, input.silences)
  if (speech.start <= EPS) return null
  return { start: Math.max(0, speech.start - input.paddingBefore), end: speech.start }
}

export interface EdgesTrimInput {
  durationS: number
  silences: readonly Interval[]
  paddingBefore: number
  paddingAfter: number
  /**
   * Video keyframe times (ffmpeg timeline, any order). With stream copy the output can only start at a
   * keyframe, so the start is snapped to one. Omit for audio-only inputs, where every frame is a cut point.
   * An empty array means "no usable keyframe known": nothing is cut at the start.
   */
  keyframes?: readonly number[]
}

/**
 * Cuts leading and trailing silence, keeping the padding. The start snaps to a keyframe inside the padding
 * window [speechStart - paddingBefore, speechStart] when there is one: the earliest such keyframe, which keeps
 * as much of the asked padding as possible without keeping silence beyond it. Otherwise it snaps to the latest
 * keyframe before the window (keeping at most one keyframe interval more than the padding). It never starts
 * after the speech.
 */
export function planEdgesTrim(input: EdgesTrimInput): EdgesTrimPlan {
  assertPlanInput(input.durationS, input.paddingBefore, input.paddingAfter)
  const speech = speechSpan(input.durationS, input.silences)
  const target = Math.max(0, speech.start - input.paddingBefore)
  const start = speech.start <= EPS ? 0 : snapStart(target, speech.start, input.keyframes)
  const end = Math.min(input.durationS, speech.end + input.paddingAfter)
  return finishPlan('edges', input.durationS, [{ start, end }], speech, {
    keptBeforeSpeechS: speech.start - start,
    startsAtKeyframe: input.keyframes !== undefined && start > 0,
  })
}

function snapStart(target: number, speechStart: number, keyframes: readonly number[] | undefined): number {
  if (keyframes === undefined) return target
  const sorted = [...keyframes].filter((k) => Number.isFinite(k)).sort((a, b) => a - b)
  const inWindow = sorted.find((k) => k >= target - EPS && k <= speechStart + EPS)
  if (inWindow !== undefined) return Math.max(0, inWindow)
  const before = sorted.filter((k) => k < target)
  const latest = before[before.length - 1]
  return latest === undefined ? 0 : Math.max(0, latest)
}

export interface PausesTrimInput {
  durationS: number
  silences: readonly Interval[]
  paddingBefore: number
  paddingAfter: number
  /** Inner silences longer than this are shortened. */
  minPause: number
  /** Silence kept on each side of the speech around a removed pause. */
  margin: number
  /** Refuse plans that would remove more than this fraction (0..1) of the runtime. */
  maxCutRatio: number
}

/**
 * Edges trimming plus removal of long inner pauses: each inner silence longer than minPause loses everything
 * but `margin` seconds on both sides. The output is re-encoded, so no keyframe snapping is needed.
 */
export function planPausesTrim(input: PausesTrimInput): TrimPlan {
  assertPlanInput(input.durationS, input.paddingBefore, input.paddingAfter)
  if (!(input.minPause >= 0) || !(input.margin >= 0)) {
    throw new RecflowError('validation', 'min_pause and pause_margin must be zero or positive')
  }
  if (!(input.maxCutRatio >= 0 && input.maxCutRatio <= 1)) {
    throw new RecflowError('validation', `max_cut_ratio must be between 0 and 1, got ${input.maxCutRatio}`)
  }
  const silences = normalizeIntervals(input.silences, input.durationS)
  const speech = speechSpan(input.durationS, silences)
  const span: Interval = {
    start: Math.max(0, speech.start - input.paddingBefore),
    end: Math.min(input.durationS, speech.end + input.paddingAfter),
  }
  const innerCuts = silences
    .filter((s) => s.start >= speech.start - EPS && s.end <= speech.end + EPS && s.end - s.start > input.minPause)
    .map((s) => ({ start: s.start + input.margin, end: s.end - input.margin }))
    .filter((c) => c.end - c.start > EPS)
  const keep = complementIntervals(innerCuts, input.durationS)
    .map((k) => ({ start: Math.max(k.start, span.start), end: Math.min(k.end, span.end) }))
    .filter((k) => k.end - k.start > EPS)
  const plan = finishPlan('pauses', input.durationS, keep, speech, { startsAtKeyframe: false })
  if (plan.cutS > input.maxCutRatio * input.durationS + EPS) {
    const pct = (x: number) => `${Math.round(x * 100)}%`
    throw new RecflowError(
      'validation',
      `trimming pauses would cut ${pct(plan.cutS / input.durationS)} of the recording, more than max_cut_ratio ${pct(input.maxCutRatio)}`,
      {
        hint: 'Check processing.silence_threshold (a quiet speaker needs a lower value, e.g. -50), raise processing.max_cut_ratio, or use trim_mode edges.',
        details: { cutS: plan.cutS, durationS: input.durationS },
      },
    )
  }
  return plan
}

function finishPlan<M extends TrimMode, X extends { startsAtKeyframe: boolean }>(
  mode: M,
  durationS: number,
  keep: Interval[],
  speech: Interval,
  extra: X,
): TrimPlan & { mode: M } & X {
  const nothingToCut = keep.length === 1 && (keep[0]?.start ?? 0) <= EPS && (keep[0]?.end ?? 0) >= durationS - EPS
  const editList = nothingToCut ? identityEditList(durationS) : { source_duration: durationS, keep }
  const keptS = totalLength(editList.keep)
  return {
    mode,
    editList,
    cuts: complementIntervals(editList.keep, durationS).filter((c) => c.end - c.start > EPS),
    cutS: Math.max(0, durationS - keptS),
    keptS,
    nothingToCut,
    speech,
    ...extra,
  }
}

function assertPlanInput(durationS: number, paddingBefore: number, paddingAfter: number): void {
  if (!(durationS > 0)) throw new RecflowError('validation', `cannot trim a recording of duration ${durationS}`)
  if (!(paddingBefore >= 0) || !(paddingAfter >= 0)) {
    throw new RecflowError('validation', 'padding_before and padding_after must be zero or positive')
  }
}

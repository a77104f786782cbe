import { z } from 'zod'
import type { Interval } from './types.js'

/**
 * What the process stage kept, in ORIGINAL time. Written next to the processed file (and into stage_meta) so
 * later stages can map times between the original and the processed recording. snake_case because it is
 * persisted as JSON.
 */
export const editListSchema = z
  .object({
    source_duration: z.number().positive(),
    keep: z.array(z.object({ start: z.number().min(0), end: z.number() })),
  })
  .superRefine((edit, ctx) => {
    let previousEnd = 0
    edit.keep.forEach((k, i) => {
      if (!(k.end > k.start)) ctx.addIssue({ code: 'custom', path: ['keep', i], message: 'end must be after start' })
      if (k.start < previousEnd) {
        ctx.addIssue({ code: 'custom', path: ['keep', i], message: 'kept intervals must be sorted and must not overlap' })
      }
      if (k.end > edit.source_duration + 1e-6) {
        ctx.addIssue({ code: 'custom', path: ['keep', i], message: 'kept interval ends after the source' })
      }
      previousEnd = k.end
    })
  })

export type EditList = z.infer<typeof editListSchema>

export function identityEditList(durationS: number): EditList {
  return { source_duration: durationS, keep: [{ start: 0, end: durationS }] }
}

export function processedDuration(edit: EditList): number {
  return edit.keep.reduce((sum, k) => sum + (k.end - k.start), 0)
}

/** Original time -> processed time, or null when that moment was cut (or lies outside the source). */
export function mapTime(edit: EditList, originalT: number): number | null {
  let offset = 0
  for (const k of edit.keep) {
    if (originalT < k.start) return null
    if (originalT <= k.end) return offset + (originalT - k.start)
    offset += k.end - k.start
  }
  return null
}

/**
 * Processed time -> original time, or null outside [0, processed duration]. A time exactly at a join maps to
 * the start of the later kept interval (where playback actually continues).
 */
export function unmapTime(edit: EditList, processedT: number): number | null {
  if (processedT < 0) return null
  let offset = 0
  for (const [i, k] of edit.keep.entries()) {
    const length = k.end - k.start
    const isLast = i === edit.keep.length - 1
    if (processedT < offset + length || (isLast && processedT <= offset + length)) return k.start + (processedT - offset)
    offset += length
  }
  return null
}

/** The processed-time intervals an original interval survives as (empty when it was cut entirely). */
export function mapInterval(edit: EditList, original: Interval): Interval[] {
  const out: Interval[] = []
  let offset = 0
  for (const k of edit.keep) {
    const start = Math.max(k.start, original.start)
    const end = Math.min(k.end, original.end)
    if (end > start) out.push({ start: offset + (start - k.start), end: offset + (end - k.start) })
    offset += k.end - k.start
  }
  return out
}

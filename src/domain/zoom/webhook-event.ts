import { z } from 'zod'

/*
 * The Zoom webhook bodies recflow acts on (API-CONTRACTS.md §A.8). A body is untrusted until its signature is
 * verified, and parsed only then. Zoom adds fields over time: unknown keys are kept, not refused.
 */

export const urlValidationEventSchema = z.object({
  event: z.literal('endpoint.url_validation'),
  event_ts: z.number().optional(),
  payload: z.object({
    // Zoom's are 22 characters; the bound keeps the answer small whatever arrives.
    plainToken: z.string().min(1).max(256),
  }),
})

const recordingFileSchema = z.looseObject({
  id: z.string().optional(),
  file_type: z.string().optional(),
  file_size: z.number().optional(),
  download_url: z.string().optional(),
  recording_type: z.string().optional(),
  status: z.string().optional(),
})

export const recordingCompletedEventSchema = z.object({
  event: z.literal('recording.completed'),
  event_ts: z.number().optional(),
  /** Lets the files of this meeting be downloaded without an OAuth token, for about 24 h (§A.6). */
  download_token: z.string().min(1).max(4096).optional(),
  payload: z.object({
    account_id: z.string().optional(),
    object: z.looseObject({
      uuid: z.string().min(1).max(256),
      id: z.union([z.number(), z.string()]),
      host_id: z.string().optional(),
      host_email: z.string().optional(),
      topic: z.string().optional(),
      start_time: z.string().optional(),
      recording_files: z.array(recordingFileSchema).optional(),
    }),
  }),
})

export type UrlValidationEvent = z.output<typeof urlValidationEventSchema>
export type RecordingCompletedEvent = z.output<typeof recordingCompletedEventSchema>

/** Any event: only its name is read before the name picks one of the schemas above. */
export const anyWebhookEventSchema = z.looseObject({ event: z.string().min(1).max(200) })

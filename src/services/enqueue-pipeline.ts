import type { Task } from '../db/index.js'
import { conflict } from '../domain/errors.js'
import type { TaskPayload } from '../jobs/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import type { EventSink } from '../domain/events.js'
import { startRecording, undoRecordingStart } from './quota/start-recording.js'

/** Key order does not matter: the stored payload went through JSON and the schema. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  )
}

/**
 * Enqueues a recording's pipeline task. One unfinished task per recording (the dedupe key) keeps two runs from
 * working on the same files; but when the task holding the key was asked for other settings (a trim mode, a
 * forced stage, stop after PROCESS), running it instead would silently ignore this command's. So a waiting one
 * (pending, or left running by a worker process of this host that died) is cancelled and replaced; one that
 * another live process is running is a conflict for a command about this recording (`exclusive`), and is
 * joined by a bulk `recflow run`. Each start is counted against the user's plan first (see quota/start-recording.ts).
 */
export async function enqueuePipeline(
  deps: ServiceDeps,
  user: UserRef,
  payload: TaskPayload<'pipeline'>,
  opts: { exclusive: boolean; emit: EventSink; refuseHeld?: boolean },
): Promise<Task> {
  // The quota check comes first: a refused start creates no task. A start whose task then cannot be queued is given back.
  const start = await startRecording(deps, user, payload.recordingId)
  try {
    return await enqueueCounted(deps, user, payload, opts)
  } catch (e) {
    await undoRecordingStart(deps, user, payload.recordingId, start).catch((undo: unknown) =>
      deps.logger.warn('could not give back a recording start whose task was not queued', { recordingId: payload.recordingId, error: (undo as Error).message }),
    )
    throw e
  }
}

async function enqueueCounted(
  deps: ServiceDeps,
  user: UserRef,
  payload: TaskPayload<'pipeline'>,
  opts: { exclusive: boolean; emit: EventSink; refuseHeld?: boolean },
): Promise<Task> {
  const input = { type: 'pipeline' as const, payload, dedupeKey: `pipeline:${payload.recordingId}`, recordingId: payload.recordingId }
  const first = await deps.queue.enqueue(user.id, input)
  // `refuseHeld` (the daemon's single actions): any unfinished task holding the key is a conflict, decided by the
  // enqueue itself, so two concurrent requests cannot both be accepted (nor one replace the other's task).
  if (!first.created && opts.refuseHeld) {
    throw conflict(`recording ${payload.recordingId} already has a ${first.task.state} task (${first.task.id})`, `follow it at /api/v1/tasks/${first.task.id} or cancel it with DELETE /api/v1/tasks/${first.task.id}`)
  }
  if (first.created || canonical(first.task.payload) === canonical(JSON.parse(JSON.stringify(payload)))) return first.task

  const held = (await deps.queue.recoverFromDeadLocalOwner(first.task.id, { now: deps.clock.now(), logger: deps.logger })) ?? first.task
  if (held.state === 'running') {
    if (!opts.exclusive) return held
    throw conflict(
      `recording ${payload.recordingId} is being processed by task ${held.id}, with other settings, in another recflow process`,
      `wait for it to finish (\`recflow tasks watch ${held.id}\`) or cancel it (\`recflow tasks cancel ${held.id}\`), then run this again`,
    )
  }
  if (held.state === 'pending') await deps.scopes.forUser(user.id).tasks.requestCancel(held.id)
  const again = await deps.queue.enqueue(user.id, input)
  if (!again.created) throw conflict(`recording ${payload.recordingId} was just queued by another recflow process (task ${again.task.id})`)
  opts.emit({
    type: 'log',
    level: 'info',
    recordingId: payload.recordingId,
    message: `task ${held.id}, queued with other settings, was replaced by task ${again.task.id}`,
  })
  return again.task
}

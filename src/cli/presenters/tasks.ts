import type { Task, TaskEvent } from '../../db/index.js'
import { details, table } from './table.js'

/** Text views of queue tasks (the JSON views are the objects themselves). */

const percent = (t: Task) => `${Math.round(t.progress)}%`
const errorMessage = (error: unknown): string | null => {
  const message = (error as { message?: unknown } | null)?.message
  return typeof message === 'string' ? message : null
}
const stateOf = (t: Task) => (t.state === 'running' && t.cancel_requested ? 'cancelling' : t.state)

export const tasksTable = (filters: string, items: Task[]) =>
  table(
    items,
    [
      { header: 'id', value: (t) => t.id },
      { header: 'type', value: (t) => t.type },
      { header: 'state', value: stateOf },
      { header: 'progress', value: percent },
      { header: 'stage', value: (t) => t.stage, max: 30 },
      { header: 'attempts', value: (t) => `${t.attempts}/${t.max_attempts}` },
      { header: 'recording', value: (t) => t.recording_id },
      { header: 'updated', value: (t) => t.updated_at },
    ],
    filters ? `No tasks match ${filters}.` : 'No tasks. Tasks appear when recordings are processed or sources synced.',
  )

export const eventLine = (e: TaskEvent) =>
  [e.at, e.kind, e.stage, e.progress === null ? null : `${Math.round(e.progress)}%`, e.message].filter((v) => v !== null && v !== '').join('  ')

export const taskDetails = ({ task: t, events }: { task: Task; events: TaskEvent[] }) => {
  const fields: Array<[string, unknown]> = [
    ['id', t.id],
    ['type', t.type],
    ['state', stateOf(t)],
    ['progress', percent(t)],
    ['stage', t.stage],
    ['message', t.message],
    ['attempts', `${t.attempts} of ${t.max_attempts}`],
    ['recording', t.recording_id],
    ['payload', t.payload],
    ['run at', t.run_at],
    ['started', t.started_at],
    ['finished', t.finished_at],
  ]
  if (t.error !== null) fields.push(['error', errorMessage(t.error) ?? t.error])
  if (t.result !== null) fields.push(['result', t.result])
  const history = events.length === 0 ? ['', 'No events yet.'] : ['', 'Events:', ...events.map((e) => `  ${eventLine(e)}`)]
  return [details(fields), ...history]
}

/** One line per visible change of a watched task (progress, stage, message, state). */
export const taskStatusLine = (t: Task) =>
  [`task ${t.id}`, stateOf(t), percent(t), t.stage, t.message, t.state === 'failed' ? errorMessage(t.error) : null]
    .filter((v) => v !== null && v !== '')
    .join('  ')

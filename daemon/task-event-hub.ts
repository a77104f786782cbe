import type { UserRef } from '../src/services/context.js'
import type { TasksService, TaskWatchUpdate } from '../src/services/tasks.js'

type Task = TaskWatchUpdate['task']
type TaskEvent = TaskWatchUpdate['events'][number]

/** One subscriber of a task's events. `after` is the last event id it has; the hub moves it on. */
export interface TaskEventListener {
  after: number
  onEvents(events: readonly TaskEvent[]): void
  /** The task finished (`task`), or following it failed (`error`: the task went away, the database failed). */
  onEnd(outcome: { task: Task } | { error: unknown }): void
}

interface Feed {
  readonly listeners: Set<TaskEventListener>
  /** The events this feed has read, oldest first (at most `maxBuffered`): the backlog a late subscriber replays. */
  readonly buffer: TaskEvent[]
  readonly stop: AbortController
}

/**
 * Followers of one task share one poll: the first subscriber of a task starts `tasks.watch` for it, later ones
 * join that feed (replaying what it has already read after their Last-Event-ID), and the last one to leave stops
 * it. 200 SSE subscribers of one task cost one reader's queries instead of 200 (docs/BENCHMARKS.md "Daemon SSE").
 * Feeds are keyed by user and task: the tasks service reads through the caller's tenant scope, so a feed only ever
 * carries its own user's task, and the route checks ownership before it subscribes.
 */
export function taskEventHub(tasks: () => Promise<TasksService>, opts: { intervalMs: number; maxBuffered?: number }) {
  const maxBuffered = opts.maxBuffered ?? 2000
  const feeds = new Map<string, Feed>()

  const deliver = (listener: TaskEventListener, events: readonly TaskEvent[]) => {
    const fresh = events.filter((e) => e.id > listener.after)
    if (fresh.length === 0) return
    listener.after = fresh[fresh.length - 1]!.id
    listener.onEvents(fresh)
  }

  const start = (key: string, user: UserRef, taskId: number): Feed => {
    const feed: Feed = { listeners: new Set(), buffer: [], stop: new AbortController() }
    feeds.set(key, feed)
    const end = (outcome: Parameters<TaskEventListener['onEnd']>[0]) => {
      if (feeds.get(key) === feed) feeds.delete(key)
      for (const listener of feed.listeners) listener.onEnd(outcome)
      feed.listeners.clear()
    }
    void (async () => {
      try {
        const task = await (await tasks()).watch(user, taskId, {
          signal: feed.stop.signal,
          intervalMs: opts.intervalMs,
          onUpdate: ({ events }) => {
            if (events.length === 0) return
            feed.buffer.push(...events)
            if (feed.buffer.length > maxBuffered) feed.buffer.splice(0, feed.buffer.length - maxBuffered)
            for (const listener of feed.listeners) deliver(listener, events)
          },
        })
        end({ task })
      } catch (error) {
        end({ error })
      }
    })()
    return feed
  }

  return {
    /** Follows a task the caller owns; returns the unsubscribe function. */
    follow(user: UserRef, taskId: number, listener: TaskEventListener): () => void {
      const key = `${user.id}:${taskId}`
      const current = feeds.get(key)
      const feed = current !== undefined && !current.stop.signal.aborted ? current : start(key, user, taskId)
      feed.listeners.add(listener)
      deliver(listener, feed.buffer)
      return () => {
        if (!feed.listeners.delete(listener) || feed.listeners.size > 0) return
        if (feeds.get(key) === feed) feeds.delete(key)
        feed.stop.abort()
      }
    },
    /** How many tasks are being polled now (one per followed task, whatever the number of subscribers). */
    get feeds(): number {
      return feeds.size
    },
  }
}

export type TaskEventHub = ReturnType<typeof taskEventHub>

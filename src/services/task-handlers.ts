import { taskPayloadSchemas, taskRegistry, type TaskRegistry } from '../jobs/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { overallProgress } from './pipeline/overall-progress.js'
import type { PipelineService } from './pipeline/index.js'
import type { SyncService } from './sync/sync-sources.js'
import { automationJobHandler, type JobRunner } from './automation/scheduler.js'
import { RecflowError } from '../domain/errors.js'

/** One handler per task type (a missing one is a compile error); handlers call the same services as the CLI. */
export function buildTaskRegistry(
  deps: ServiceDeps,
  services: { pipeline: PipelineService; sync: SyncService; jobs?: () => Promise<JobRunner> },
): TaskRegistry {
  const jobs = services.jobs ?? (() => Promise.reject(new RecflowError('internal', 'this worker cannot run automation jobs (no jobs service wired)')))
  const userOf = async (id: number): Promise<UserRef> => {
    const user = await deps.scopes.system().users.get(id)
    return { id, timezone: user?.timezone ?? 'UTC' }
  }
  return taskRegistry(taskPayloadSchemas, {
    pipeline: async (ctx) =>
      services.pipeline.run(await userOf(ctx.userId), { ...ctx.payload, force: ctx.payload.force as never, runOverride: ctx.payload.runOverride as never }, {
        signal: ctx.signal,
        onEvent: (event) => {
          ctx.onEvent(event)
          const overall = overallProgress(event)
          if (overall) ctx.reportProgress(overall)
        },
      }),
    sync: async (ctx) => services.sync.sync(await userOf(ctx.userId), ctx.payload, { signal: ctx.signal, onEvent: ctx.onEvent }),
    automation_job: automationJobHandler(deps, jobs),
  })
}

import type { ServiceDeps, UserRef } from '../context.js'
import type { RunControl } from '../../domain/events.js'
import { runPipeline, type PipelineOptions } from './run-pipeline.js'

export type { PipelineOptions, PipelineResult, StageReport } from './run-pipeline.js'

export function pipelineService(deps: ServiceDeps) {
  return {
    run: (user: UserRef, opts: PipelineOptions, control?: RunControl) => runPipeline(deps, user, opts, control),
  }
}

export type PipelineService = ReturnType<typeof pipelineService>

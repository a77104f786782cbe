import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pipelinePayloadSchema, syncPayloadSchema, taskPayloadSchemas, taskRegistry, type TaskHandlers } from '../../../src/jobs/task-types.js'

describe('task payload schemas', () => {
  it('accepts a pipeline payload and refuses one without a positive integer recordingId', () => {
    expect(pipelinePayloadSchema.parse({ recordingId: 4, force: ['PROCESS'], dryRun: true })).toEqual({ recordingId: 4, force: ['PROCESS'], dryRun: true })
    expect(pipelinePayloadSchema.safeParse({ recordingId: 0 }).success).toBe(false)
    expect(pipelinePayloadSchema.safeParse({ recordingId: '4' }).success).toBe(false)
    expect(pipelinePayloadSchema.safeParse({}).success).toBe(false)
  })

  it('refuses unknown keys, so a misspelt field is not silently dropped', () => {
    expect(pipelinePayloadSchema.safeParse({ recordingId: 1, dryrun: true }).success).toBe(false)
    expect(syncPayloadSchema.safeParse({ sourceId: 1 }).success).toBe(false)
  })

  it('accepts a sync of everything or of listed sources', () => {
    expect(syncPayloadSchema.parse({})).toEqual({})
    expect(syncPayloadSchema.parse({ sourceIds: [1, 2] })).toEqual({ sourceIds: [1, 2] })
  })
})

describe('taskRegistry', () => {
  const ok = async () => null

  it('pairs every schema with its handler', () => {
    const registry = taskRegistry(taskPayloadSchemas, { pipeline: ok, sync: ok, automation_job: ok })
    expect(Object.keys(registry.handlers).sort()).toEqual(Object.keys(registry.schemas).sort())
  })

  it('makes a missing handler a compile error (checked by tsc)', () => {
    // @ts-expect-error: no handler for `sync`
    const partial: TaskHandlers = { pipeline: ok, automation_job: ok }
    // @ts-expect-error: no handler for `extra`
    taskRegistry({ ...taskPayloadSchemas, extra: z.object({}) }, { pipeline: ok, sync: ok, automation_job: ok })
    expect(partial).toBeDefined()
  })

  it('types each handler\'s payload from its schema', () => {
    const registry = taskRegistry(taskPayloadSchemas, {
      pipeline: async ({ payload }) => payload.recordingId + 1,
      // @ts-expect-error: a sync payload has no recordingId
      sync: async ({ payload }) => payload.recordingId,
      automation_job: async ({ payload }) => payload.jobId,
    })
    expect(registry.handlers.pipeline).toBeTypeOf('function')
  })
})

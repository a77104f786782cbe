import type { FastifyRequest } from 'fastify'
import type { UploadPart } from '../../src/services/recording-upload.js'
import { problem, sendProblem } from '../problem.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { problems } from '../schemas.js'
import { recording } from './recordings.js'

/** Default largest upload: 4 GiB (DaemonServerOptions.uploadLimit). */
export const DEFAULT_UPLOAD_LIMIT = 4 * 1024 ** 3

/** The request's multipart parts as the upload service reads them (files as streams, in the client's order). */
async function* partsOf(request: FastifyRequest): AsyncGenerator<UploadPart> {
  for await (const p of request.parts()) {
    if (p.type === 'file') yield { kind: 'file', field: p.fieldname, filename: p.filename, stream: p.file }
    else yield { kind: 'field', name: p.fieldname, value: String(p.value) }
  }
}

/**
 * POST /recordings: a multipart upload (`file`, optional `display_name`) streamed to a generated name in the
 * caller's media folder, then imported like `recflow recordings add` -> 201 with the recording. Over the size
 * limit 413, not media (by its first bytes) 415; nothing is left on disk then. Multipart parsing is registered in
 * this module's scope only: every other route takes JSON.
 */
export function registerRecordingUploadRoutes(server: ApiServer, ctx: RouteContext): void {
  const maxBytes = ctx.options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT
  void server.register(async (scope) => {
    // One byte over the limit reaches the service (which refuses it); busboy drops the rest of the file.
    await scope.register((await import('@fastify/multipart')).default, {
      limits: { fileSize: maxBytes + 1, files: 1, fields: 4, fieldSize: 4096, parts: 6 },
      throwFileSizeLimit: false,
    })
    ;(scope as ApiServer).post(
      '/recordings',
      {
        schema: {
          tags: ['recordings'],
          summary: 'Upload a media file (multipart `file`, optional `display_name`) as a recording, template-matched',
          consumes: ['multipart/form-data'],
          response: { 201: recording, ...problems(400, 401, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const outcome = await (await ctx.app.service('recordingUpload')).upload(callerOf(request), partsOf(request), { maxBytes })
        if (outcome.kind === 'refused') {
          const status = outcome.reason === 'too_large' ? 413 : 415
          return sendProblem(reply, problem(status, outcome.reason === 'too_large' ? 'usage' : 'validation', outcome.message, { hint: outcome.hint }))
        }
        return reply.code(201).send(outcome.recording)
      },
    )
  })
}

import { createReadStream } from 'node:fs'
import { z } from 'zod'
import { RECORDING_FILE_KINDS } from '../../src/domain/resources/recording-file-kinds.js'
import { idParams, problems } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

const fileParams = idParams.extend({ kind: z.enum(RECORDING_FILE_KINDS) })

/** GET /recordings/{id}/files/{kind}: a recording's artefact streamed with its content type (the path is the service's). */
export function registerRecordingFileRoutes(server: ApiServer, ctx: RouteContext): void {
  server.get(
    '/recordings/:id/files/:kind',
    {
      schema: {
        tags: ['recordings'],
        summary: 'Download its transcript (text), srt or vtt subtitles, topics (WebVTT chapters) or processed video',
        params: fileParams,
        response: { 200: z.unknown().describe('the file'), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const file = await (await ctx.app.service('recordings')).file(callerOf(request), request.params.id, request.params.kind)
      return reply
        .type(file.contentType)
        .header('content-length', file.size)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(createReadStream(file.path))
    },
  )
}

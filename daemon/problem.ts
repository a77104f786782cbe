import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { isRecflowError, type ErrorCode } from '../src/domain/errors.js'

/** DESIGN.md §6/§7: the shared error codes, as HTTP statuses. The CLI's exit codes are the same mapping's twin. */
export const HTTP_STATUS: Record<ErrorCode | 'not_implemented', number> = {
  usage: 400,
  validation: 422,
  not_found: 404,
  conflict: 409,
  auth: 401,
  forbidden: 403,
  provider: 502,
  quota: 429,
  cancelled: 409,
  internal: 500,
  not_implemented: 501,
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  501: 'Not implemented',
  502: 'Bad gateway',
  503: 'Service unavailable',
}

/** An RFC 9457 problem body: `code` is one of the shared error codes (QUOTA_EXCEEDED for quota refusals). */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  hint?: string
  [extra: string]: unknown
}

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `https://recflow.dev/problems/${code.toLowerCase()}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extra }
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body)
}

/** Details a client may see: plain data only (limits, usage, field lists), never an Error or a secret. */
function publicDetails(details: unknown): Record<string, unknown> {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return details === undefined ? {} : { details }
  return { ...(details as Record<string, unknown>) }
}

/**
 * Every error a route throws, as problem+json. Malformed input (zod, a bad JSON body, a too-large body) is 4xx,
 * never 5xx; an unexpected error is a 500 whose body says nothing about the internals (the log has it).
 */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (isRecflowError(error)) {
    const status = HTTP_STATUS[error.code]
    const code = error.code === 'quota' ? 'QUOTA_EXCEEDED' : error.code
    return problem(status, code, error.message, { ...(error.hint ? { hint: error.hint } : {}), ...publicDetails(error.details) })
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => ({ where: error.validationContext ?? 'body', path: v.instancePath || '/', message: v.message ?? 'invalid' }))
    return problem(400, 'usage', `invalid ${error.validationContext ?? 'request'}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors })
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'a response did not match its schema')
    return problem(500, 'internal', 'the server built a response it could not send')
  }
  const fastifyError = error as Partial<FastifyError>
  // @fastify/multipart calls a non-multipart body 406 (Not Acceptable is about the reply's Accept header): 415.
  if (fastifyError.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return problem(415, 'usage', 'send the body as multipart/form-data')
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500
  if (status >= 400 && status < 500) return problem(status, status === 413 ? 'usage' : status === 429 ? 'rate_limited' : 'usage', fastifyError.message ?? 'bad request')
  request.log.error({ err: error }, 'unexpected error')
  return problem(500, 'internal', 'unexpected server error; the daemon log has the details')
}

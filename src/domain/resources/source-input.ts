import { z } from 'zod'
import { validationError } from '../errors.js'
import { compilePattern } from '../matching/compile-pattern.js'
import type { RE2JS } from 're2js'
import { descriptionSchema, nameSchema, noCredential, requiredCredential } from './common-fields.js'
import { parseInput, withPath } from './parse-input.js'
import { partialSchemaOf, strictObject } from './strict-object.js'

export const SOURCE_PLATFORMS = ['zoom', 'local'] as const
export type SourcePlatform = (typeof SOURCE_PLATFORMS)[number]

export const DEFAULT_LOCAL_GLOB = '**/*.{mp4,m4a,mkv,webm,mov,mp3,wav}'

/** Named groups a local name_pattern may use to read the start time (and title) from a file name. */
export const NAME_PATTERN_GROUPS = ['year', 'month', 'day', 'hour', 'minute', 'second', 'title'] as const

export const localSourceConfigSchema = strictObject({
  path: z.string().trim().min(1),
  glob: z.string().trim().min(1).default(DEFAULT_LOCAL_GLOB),
  recursive: z.boolean().default(true),
  /** RE2 pattern over the file name, e.g. '(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)'. */
  name_pattern: z.string().min(1).optional(),
})

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2024-09-01')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'is not a calendar date',
  })

/** A Zoom user as the API takes it: `me`, a user id or an email. */
const zoomUserSchema = z.string().trim().min(1).regex(/^[^\s,/]+$/, 'must be me, a Zoom user id or an email (no spaces, commas or slashes)')

export const zoomSourceConfigSchema = strictObject({
  /** One user (the first spelling); `users`, when given, takes its place. */
  user_id: zoomUserSchema.default('me'),
  /** Whose recordings to list: `me` (the signed-in user) and/or other users of the account (S2S or admin scopes). */
  users: z.array(zoomUserSchema).min(1).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  include_trash: z.boolean().default(false),
  min_duration_minutes: z.number().min(0).optional(),
}).refine((c) => c.from === undefined || c.to === undefined || c.from <= c.to, {
  message: 'from must not be after to',
  path: ['from'],
})

/** The Zoom users a source lists, in order, without repeats. */
export function zoomSourceUsers(config: ZoomSourceConfig): string[] {
  return [...new Set(config.users ?? [config.user_id])]
}

const common = { name: nameSchema, description: descriptionSchema, is_active: z.boolean().default(true) }

const zoomSource = strictObject({
  ...common,
  platform: z.literal('zoom'),
  credential_id: requiredCredential('zoom sources', 'zoom'),
  config: zoomSourceConfigSchema.prefault({}),
})
const localSource = strictObject({
  ...common,
  platform: z.literal('local'),
  credential_id: noCredential('local sources'),
  config: localSourceConfigSchema,
})

/** An input source as created through the CLI (flags or --file) and POST /sources. */
export const sourceInputSchema = z.discriminatedUnion('platform', [zoomSource, localSource])
export type SourceInput = z.output<typeof sourceInputSchema>
export type LocalSourceConfig = z.output<typeof localSourceConfigSchema>
export type ZoomSourceConfig = z.output<typeof zoomSourceConfigSchema>

/** PATCH bodies per platform (the platform cannot change); merge with `applyPatch`, then `validateSourceInput`. */
export const sourcePatchSchemas = {
  zoom: partialSchemaOf(zoomSource).extend({ platform: z.literal('zoom').optional() }),
  local: partialSchemaOf(localSource).extend({ platform: z.literal('local').optional() }),
}
export const sourcePatchSchema = z.union([sourcePatchSchemas.zoom, sourcePatchSchemas.local])
export type SourcePatch = z.output<typeof sourcePatchSchema>

export function sourcePatchSchemaFor(platform: SourcePlatform) {
  return sourcePatchSchemas[platform]
}

export function validateSourceInput(input: unknown): SourceInput {
  const source = parseInput(sourceInputSchema, input, 'source')
  if (source.platform === 'local' && source.config.name_pattern !== undefined) {
    withPath('config.name_pattern', () => compileNamePattern(source.config.name_pattern as string))
  }
  return source
}

export function validateSourcePatch(patch: unknown, platform: SourcePlatform): SourcePatch {
  const parsed = parseInput(sourcePatchSchemaFor(platform), patch, 'source update')
  const config = parsed.config as { name_pattern?: string | null } | null | undefined
  if (config?.name_pattern != null) withPath('config.name_pattern', () => compileNamePattern(config.name_pattern as string))
  return parsed
}

/**
 * Compiles a local source's file-name pattern (case-insensitive, like file systems people use) and checks its
 * named groups: only the known ones, and a date needs year, month and day together.
 */
export function compileNamePattern(pattern: string): RE2JS {
  const re = compilePattern(pattern, false)
  const groups = Object.keys(re.namedGroups())
  const unknown = groups.filter((g) => !(NAME_PATTERN_GROUPS as readonly string[]).includes(g))
  if (unknown.length > 0) {
    throw validationError(
      `unknown named group${unknown.length > 1 ? 's' : ''} ${unknown.map((g) => `'${g}'`).join(', ')}`,
      `use ${NAME_PATTERN_GROUPS.join(', ')}, e.g. (?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d)`,
    )
  }
  const dateGroups = ['year', 'month', 'day'].filter((g) => groups.includes(g))
  const timeGroups = ['hour', 'minute', 'second'].filter((g) => groups.includes(g))
  if ((dateGroups.length > 0 || timeGroups.length > 0) && dateGroups.length < 3) {
    throw validationError(
      'a start time needs the named groups year, month and day together',
      'e.g. (?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d)_(?P<hour>\\d\\d)(?P<minute>\\d\\d)',
    )
  }
  return re
}

import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Recording, UserScope } from '../db/index.js'
import { usageError } from '../domain/errors.js'
import type { TemplateMatch } from '../domain/matching/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { noopSink, type RunControl } from '../domain/events.js'
import { listAll } from './paging.js'
import { throwIfCancelled } from './sync/cancellation.js'
import { sanitizeDisplayName } from './sync/file-naming.js'
import { ingestNewFile, refreshKnownFile, type IngestContext, type IngestOutcome } from './sync/ingest-file.js'
import { asLocalFileMetadata } from './sync/inspect-file.js'
import { loadMatcher } from './sync/load-matcher.js'

export interface ImportFileInput {
  /** Absolute path (the command resolves it against the working directory). */
  file: string
  /** Display name; default: from the file name, as sync does. Applies to a new recording only. */
  name?: string
}

export interface ImportResult {
  recording: Recording
  created: boolean
  /** created; unchanged (imported before); changed (imported before, file re-read); changed-after-processing. */
  outcome: Exclude<IngestOutcome['kind'], 'gone'>
  /** Whether an earlier soft delete of this recording was undone (an explicit import asks for it back). */
  restored: boolean
  match: TemplateMatch | null
  /** Why the file is not a usable recording (the recording is marked failed with it). */
  failure?: string
  warning?: string
}

/**
 * `recflow recordings add FILE`: one file as a recording without a source (input_source_id NULL, source_key =
 * the absolute path), probed and matched like a synced file. Importing the same path again never duplicates:
 * the earlier recording is returned (and brought up to date if the file changed).
 */
export function importRecordingService(deps: ServiceDeps) {
  return {
    async importFile(user: UserRef, input: ImportFileInput, control: RunControl = {}): Promise<ImportResult> {
      const file = input.file
      if (!path.isAbsolute(file)) throw usageError(`the file must be given as an absolute path, got "${file}"`)
      const displayName = input.name === undefined ? undefined : sanitizeDisplayName(input.name)
      if (displayName === '') throw usageError('--name is empty once control characters are removed', 'give a name with visible characters')
      const st = await statFile(file)
      throwIfCancelled(control.signal, 'import')

      const scope = deps.scopes.forUser(user.id)
      const onEvent = control.onEvent ?? noopSink
      let warning: string | undefined
      const ctx: IngestContext = {
        scope,
        tools: () => deps.media.tools(),
        match: await loadMatcher(scope),
        timezone: user.timezone,
        now: () => deps.clock.now(),
        signal: control.signal,
        warn: (message, recordingId) => {
          warning = message
          onEvent({ type: 'log', level: 'warn', message, ...(recordingId !== undefined ? { recordingId } : {}) })
        },
      }
      const ref = { path: file, size: st.size, mtimeMs: st.mtimeMs, inputSourceId: null, sourceKey: file }

      const existing = await findImported(scope, file)
      let restored = false
      let outcome: IngestOutcome
      if (existing) {
        const current = existing.deleted_at === null ? existing : ((await scope.recordings.restore(existing.id)) ?? existing)
        restored = existing.deleted_at !== null
        const stored = asLocalFileMetadata((await scope.sourceMetadata.getByRecording(existing.id))?.metadata)
        outcome = await refreshKnownFile(ctx, current, ref, stored)
      } else {
        outcome = await ingestNewFile(ctx, ref, displayName === undefined ? {} : { displayName })
      }
      if (outcome.kind === 'gone') throw usageError(`${file} disappeared while it was being read`)
      // The same unusable file again (unchanged, so not re-read): still not a usable recording, for the same reason.
      const known = outcome.recording
      const failure =
        'failure' in outcome && outcome.failure !== undefined
          ? outcome.failure
          : outcome.kind === 'unchanged' && known.failed && known.failed_stage === 'DOWNLOAD'
            ? (known.failed_reason ?? 'not a usable recording')
            : undefined
      return {
        recording: outcome.recording,
        created: outcome.kind === 'created',
        outcome: outcome.kind,
        restored,
        match: 'match' in outcome ? outcome.match : null,
        ...(failure !== undefined ? { failure } : {}),
        ...(warning !== undefined ? { warning } : {}),
      }
    },
  }
}

export type ImportRecordingService = ReturnType<typeof importRecordingService>

async function statFile(file: string): Promise<{ size: number; mtimeMs: number }> {
  let st
  try {
    st = await stat(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw usageError(`${file} does not exist`, 'check the path; `recflow recordings add` takes one media file')
    throw usageError(`cannot read ${file} (${code ?? (e as Error).message})`)
  }
  if (!st.isFile()) throw usageError(`${file} is not a file`, 'to take in a whole folder, add it as a source: `recflow sources add local NAME --path DIR`')
  return { size: st.size, mtimeMs: st.mtimeMs }
}

// Imports have no source, so the (user, source, key) unique index does not cover them; look the path up instead.
async function findImported(scope: UserScope, file: string): Promise<Recording | undefined> {
  const all = await listAll((page) => scope.recordings.list({ includeDeleted: true }, page))
  return all.find((r) => r.input_source_id === null && r.source_key === file)
}

import fs from 'node:fs/promises'
import { RecflowError } from '../../domain/errors.js'
import { probeSyncedFile } from '../sync/probe-synced-file.js'
import type { StageHandler } from './stage-types.js'
import { downloadFromZoom } from './zoom-download.js'

/**
 * Makes the recording's source media available. Local recordings are used where they are (no copy): the stage
 * checks the file is still there and unchanged in size, and probes a synced file that sync left unprobed (see
 * probe-synced-file.ts). Zoom recordings are downloaded into the recording's folder (zoom-download.ts).
 */
export const downloadStage: StageHandler = async (ctx) => {
  const fromZoom = await downloadFromZoom(ctx)
  if (fromZoom !== undefined) return fromZoom
  const file = ctx.recording.original_file
  if (!file) {
    throw new RecflowError('validation', `recording ${ctx.recording.id} has no media file to process`, {
      hint: 'local recordings come from `recflow sync` or `recflow recordings add FILE`; Zoom ones from `recflow sync` of a Zoom source',
    })
  }
  const stat = await fs.stat(file).catch((e: NodeJS.ErrnoException) => e)
  // Only ENOENT says the file is gone; EACCES, ELOOP or EIO say nothing about whether it is there.
  if (stat instanceof Error && stat.code !== 'ENOENT') {
    throw new RecflowError('validation', `the media file ${file} cannot be read (${stat.code ?? stat.message})`, {
      hint: `check the file, its folder's permissions and any links on the way (\`ls -lL ${file}\`)`,
    })
  }
  if (stat instanceof Error || !stat.isFile()) {
    throw new RecflowError('validation', `the media file ${file} is gone`, {
      hint: 'put the file back, or run `recflow sync` so recflow notices it vanished',
    })
  }
  if (ctx.recording.size_bytes !== null && stat.size !== ctx.recording.size_bytes) {
    throw new RecflowError('validation', `the media file ${file} changed since it was synced (${ctx.recording.size_bytes} -> ${stat.size} bytes)`, {
      hint: 'run `recflow sync` to pick up the new version, then run the recording again',
    })
  }
  const probed = await probeSyncedFile({ scope: ctx.scope, recording: ctx.recording, file, tools: () => ctx.deps.media.tools(), signal: ctx.signal })
  ctx.progress(100)
  return {
    status: 'COMPLETED',
    meta: { source_file: file, size_bytes: stat.size, local: true, ...(probed ? { duration_s: probed.durationS } : {}) },
  }
}

import type { StageContext } from './stage-types.js'

/**
 * A target's upload progress for the view: bytes, percent, and the time left from the speed over the bytes this
 * attempt moved (`startBytes`: a resumed upload starts mid-file, and the bytes before it do not count toward the speed).
 */
export function byteProgress(ctx: StageContext, target: string, startBytes = 0): (sent: number, total: number) => void {
  const startedMs = ctx.deps.clock.now().getTime()
  return (sent, total) => {
    const first = Math.min(startBytes, sent)
    const elapsedS = (ctx.deps.clock.now().getTime() - startedMs) / 1000
    const rate = elapsedS > 0 ? (sent - first) / elapsedS : 0
    const etaS = rate > 0 ? Math.round((total - sent) / rate) : undefined
    const percent = total > 0 ? Math.min(100, (sent / total) * 100) : 0
    ctx.emit({ type: 'progress', recordingId: ctx.recording.id, stage: 'UPLOAD', percent, etaS, target, bytes: sent, totalBytes: total })
  }
}

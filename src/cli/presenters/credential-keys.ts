import type { RotateResult } from '../../services/credentials/credential-keys.js'

/** What `recflow daemon rotate-key` did: key ids only, never a key. */
export const rotatedKeyText = (r: RotateResult): string[] => [
  `The credential key ${r.current} is current${r.previous === null ? ' (the first one)' : `; ${r.previous} and older keys stay for reading`}.`,
  r.reencrypted === null
    ? 'Rows sealed with older keys are re-sealed when next read (or now: recflow daemon rotate-key --reencrypt-now).'
    : `Re-sealed ${r.reencrypted} credential${r.reencrypted === 1 ? '' : 's'} with it${r.failed.length > 0 ? `; could not re-seal ${r.failed.join(', ')} (see the log)` : ''}.`,
]

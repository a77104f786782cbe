/** What `recflow --version --json` prints. */
export function versionEnvelope(version: string): { ok: true; data: { version: string } } {
  return { ok: true, data: { version } }
}

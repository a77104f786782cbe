/**
 * A meeting id or UUID as a URL path segment. Zoom decodes the segment once more than usual when a UUID starts
 * with `/` or contains `//`, so those are encoded twice (API-CONTRACTS.md §A.5); every other one once (a UUID
 * can hold `+`, `=` and a single `/`).
 */
export function meetingPathSegment(uuid: string): string {
  const once = encodeURIComponent(uuid)
  return uuid.startsWith('/') || uuid.includes('//') ? encodeURIComponent(once) : once
}

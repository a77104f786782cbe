import { usageError } from '../errors.js'

/**
 * The credential kind holding a Zoom app's webhook Secret Token (Zoom Marketplace → the app → Feature → Secret
 * Token). It is its own kind, not a field of a Zoom OAuth credential: a webhook-only app has no OAuth client, one
 * account may have several apps, and the token never rotates with OAuth tokens. Like an API key it lives only
 * in the secret store; the row holds the reference `{"secret": <entry name>, "base_url": null}`.
 */
export const ZOOM_WEBHOOK_KIND = 'zoom-webhook'

/** The secret token as given (trimmed), refused without echoing it when empty, too long or holding spaces. */
export function normalizeWebhookSecretToken(input: string): string {
  const token = input.trim()
  const hint = 'copy the Secret Token from your Zoom app (Feature → Event Subscriptions), then pipe it: `printf %s "$TOKEN" | recflow credentials add zoom-webhook`'
  if (token === '') throw usageError('the Zoom webhook secret token is empty', hint)
  if (token.length > 256) throw usageError('the Zoom webhook secret token is longer than 256 characters', hint)
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(token)) throw usageError('the Zoom webhook secret token holds spaces or control characters', hint)
  return token
}

import type { SignInView } from '../../services/auth/auth-service.js'
import { table } from './table.js'

/** Scope URLs shortened for a table: Google's https://www.googleapis.com/auth/youtube.upload -> youtube.upload. */
export const shortScope = (s: string) => s.replace(/^https:\/\/www\.googleapis\.com\/auth\//, '')

const expiry = (v: SignInView) => (v.expires_at === null ? 'never' : v.expires_at.replace(/\.\d{3}Z$/, 'Z'))
const state = (v: SignInView) => (v.needs_reauth ? 'needs re-authorisation' : v.status)
const again = (v: SignInView) => (v.platform === 'zoom' && v.grant === 'account_credentials' ? 'recflow credentials add zoom' : 'recflow auth ' + v.platform)

export const signInsTable = (items: SignInView[]) => {
  const lines = [
    table(
      items,
      [
        { header: 'id', value: (v) => v.id },
        { header: 'platform', value: (v) => v.platform },
        { header: 'account', value: (v) => (v.name === v.account ? v.account : `${v.name} (${v.account})`), max: 40 },
        { header: 'scopes', value: (v) => v.scopes.map(shortScope).join(' ') || '-', max: 50 },
        { header: 'expires', value: expiry },
        { header: 'refreshes', value: (v) => (v.refreshes ? 'yes' : 'no') },
        { header: 'status', value: state },
      ],
      'No sign-ins yet. Sign in to YouTube: recflow auth youtube --client-secrets client_secret.json',
    ),
  ]
  for (const v of items.filter((i) => i.needs_reauth)) lines.push(`Credential ${v.id} needs you to sign in again: ${again(v)}`)
  return lines
}

export const signedInText = (v: SignInView & { replaced: boolean }) => [
  `Signed in to ${v.platform} as "${v.account}": credential ${v.id}${v.name !== v.account ? ` "${v.name}"` : ''}${v.replaced ? ' (updated in place: it is active again)' : ''}.`,
  `Scopes: ${v.scopes.map(shortScope).join(' ') || '-'}; ${v.refreshes ? 'refreshes by itself' : 'no refresh token: sign in again when it expires'}; tokens in the ${v.store} secret store.`,
  'See every sign-in with: recflow auth status',
]

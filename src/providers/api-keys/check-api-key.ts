import type { ApiKeyAccess, ApiKeyCheck, ApiKeyKind, ProviderEnv } from '../types.js'

/** `recflow credentials test`: one cheap authenticated call per kind. (Placeholder until the clients land.) */
export async function checkApiKey(kind: ApiKeyKind, _access: ApiKeyAccess, _env: ProviderEnv, _control: { signal?: AbortSignal } = {}): Promise<ApiKeyCheck> {
  return { ok: false, kind: 'other', detail: `checking ${kind} keys is not built yet` }
}

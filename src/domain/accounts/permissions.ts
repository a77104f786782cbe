/**
 * The per-user permission flags of the reference system. Every flag defaults to true there (a new user may do
 * everything; an admin takes flags away), and so it does here: a flag missing from the stored JSON is granted.
 */
export const PERMISSION_FLAGS = [
  'can_transcribe',
  'can_process_video',
  'can_upload',
  'can_create_templates',
  'can_delete_recordings',
  'can_update_uploaded_videos',
  'can_manage_credentials',
  'can_export_data',
] as const

export type PermissionFlag = (typeof PERMISSION_FLAGS)[number]
export type Permissions = Record<PermissionFlag, boolean>

export const USER_ROLES = ['user', 'admin'] as const
export type Role = (typeof USER_ROLES)[number]

/** Every flag granted: what a new user gets. */
export const DEFAULT_PERMISSIONS: Permissions = Object.fromEntries(PERMISSION_FLAGS.map((f) => [f, true])) as Permissions

/** The flags of a stored `users.permissions` value: only an explicit `false` takes a flag away; unknown keys are dropped. */
export function permissionsOf(stored: unknown): Permissions {
  const record = stored !== null && typeof stored === 'object' ? (stored as Record<string, unknown>) : {}
  const flags = {} as Record<PermissionFlag, boolean>
  for (const f of PERMISSION_FLAGS) flags[f] = record[f] !== false
  return flags
}


export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, passwordProblems } from './password-policy.js'
export { DEFAULT_PERMISSIONS, PERMISSION_FLAGS, USER_ROLES, permissionsOf } from './permissions.js'
export type { PermissionFlag, Permissions, Role } from './permissions.js'
export {
  deleteAccountSchema,
  emailSchema,
  loginSchema,
  parseAccountInput,
  passwordChangeSchema,
  passwordSchema,
  profilePatchSchema,
  refreshTokenSchema,
  registerSchema,
} from './account-schemas.js'
export type { DeleteAccountInput, LoginInput, PasswordChangeInput, ProfilePatchInput, RegisterInput } from './account-schemas.js'

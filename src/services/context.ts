import type { Database } from '../db/index.js'
import type { MediaToolbox } from '../media/toolbox.js'
import type { Clock } from '../platform/clock.js'
import type { RuntimeEnv } from '../platform/config.js'
import type { Logger } from '../platform/logger.js'
import type { SecretStore } from '../platform/secrets.js'
import type { Publishers } from '../providers/types.js'

/** Who a service call acts for. Every repository call inside goes through forUser(db, user.id). */
export interface UserRef {
  readonly id: number
  readonly timezone: string
}

/** What services are built from (createApp wires them once). Services never read the environment or print. */
export interface ServiceDeps {
  readonly database: Database
  readonly env: RuntimeEnv
  readonly clock: Clock
  readonly logger: Logger
  readonly media: MediaToolbox
  readonly secrets: () => Promise<SecretStore>
  /** Publisher factories by platform, wired by the composition root (services never import a provider). */
  readonly publishers: Publishers
}

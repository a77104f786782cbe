import type { Migration } from 'kysely'
import * as m0001 from './0001_initial.js'
import * as m0002 from './0002_published_path.js'
import * as m0003 from './0003_topic_sets.js'
import * as m0004 from './0004_preset_captions.js'
import * as m0005 from './0005_pending_source.js'
import * as m0006 from './0006_credential_quota.js'
import * as m0007 from './0007_quota_ledger.js'
import * as m0008 from './0008_recording_list_versions.js'

/**
 * Every migration, keyed by its name (names sort in application order). A static registry rather than a folder
 * scan: the code runs compiled or bundled, where there is no migrations folder to read.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_published_path': m0002,
  '0003_topic_sets': m0003,
  '0004_preset_captions': m0004,
  '0005_pending_source': m0005,
  '0006_credential_quota': m0006,
  '0007_quota_ledger': m0007,
  '0008_recording_list_versions': m0008,
}

import { Flags } from '@oclif/core'

/**
 * The paging flags every `list` command shares. Their own module, apart from the resource flag builders (which
 * load the file reader and the resource schemas), so a list command loads only what it runs.
 */
/** The page size when --limit is not given. */
export const DEFAULT_PAGE_LIMIT = 50

export const pageFlags = {
  limit: Flags.integer({ summary: 'How many items per page (1-100).', default: DEFAULT_PAGE_LIMIT, min: 1, max: 100 }),
  cursor: Flags.string({ summary: 'Continue after the last page (the cursor printed with the previous page).' }),
}

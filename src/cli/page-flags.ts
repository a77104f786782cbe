import { Flags } from '@oclif/core'

/**
 * The paging flags every `list` command shares. Their own module, apart from the resource flag builders (which
 * load the file reader and the resource schemas), so a list command loads only what it runs.
 */
export const pageFlags = {
  limit: Flags.integer({ summary: 'How many items per page (1-100).', default: 50, min: 1, max: 100 }),
  cursor: Flags.string({ summary: 'Continue after the last page (the cursor printed with the previous page).' }),
}

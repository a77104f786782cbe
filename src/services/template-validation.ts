import type { Template, UserScope } from '../db/index.js'
import { validatePartialConfig } from '../domain/config/index.js'
import { validateTemplateInput, type TemplateInput } from '../domain/resources/index.js'
import { assertConfigCredentials, assertConfigPresets, assertConfigTemplates } from './config-checks.js'

export { previewMatch } from '../domain/matching/index.js'
export { applyPatch, validateTemplateInput, validateTemplatePatch } from '../domain/resources/index.js'

/**
 * The checks of a template document: the templates service imports this module only on add, edit,
 * from-recording and preview, so `templates list`, `show` and `remove` never build the zod schemas.
 */
function validated(input: unknown): TemplateInput {
  const template = validateTemplateInput(input)
  if (template.processing_config != null) {
    assertConfigTemplates(validatePartialConfig(template.processing_config, 'processing_config'), 'processing_config')
  }
  return template
}

/**
 * The preset ids in processing_config.upload are checked here; output_config's are checked by the repository.
 * Ids the template already held (`current`) are not checked again, so a dangling one can be edited away.
 */
export async function checkedTemplate(scope: UserScope, input: unknown, current?: Template): Promise<TemplateInput> {
  const template = validated(input)
  await assertConfigPresets(scope, template.processing_config, current?.processing_config as never)
  await assertConfigCredentials(scope, template.processing_config, current?.processing_config as never)
  return template
}

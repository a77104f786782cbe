import { constants } from 'node:fs'
import { access, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Source } from '../../db/index.js'
import { RecflowError, validationError } from '../../domain/errors.js'
import { localSourceConfigSchema, type LocalSourceConfig } from '../../domain/resources/index.js'
import { compileGlob } from './glob.js'

/**
 * What `sources add local` / `sources edit` check before a folder becomes a source: `~` expanded, the glob
 * valid, the folder there and readable (or only a warning with `allowMissing`: a drive that is not mounted yet),
 * and no other local source on the same files. Two sources whose folders overlap (the same folder, or one inside
 * another that is synced recursively) are refused: each would make its own recording of the same file, and
 * the recordings would be processed and published twice.
 */

/** `~` and `~/...` mean the user's home; other paths are kept as given. */
export function expandHome(folder: string, userHome: string): string {
  if (folder === '~') return userHome
  if (folder.startsWith('~/')) return path.join(userHome, folder.slice(2))
  return folder
}

/** A glob must compile and be relative to the source folder (an absolute or `..` glob would match nothing). */
export function checkGlob(glob: string): void {
  const trimmed = glob.trim()
  if (trimmed.startsWith('/') || /^[A-Za-z]:[\\/]/.test(trimmed)) {
    throw validationError(`invalid glob ${JSON.stringify(glob)}: globs are relative to the source folder`, 'e.g. "**/*.mp4"; put the folder in --path')
  }
  if (trimmed.endsWith('/')) {
    throw validationError(`invalid glob ${JSON.stringify(glob)}: it ends in "/", so it names folders and matches no file`, `e.g. "${trimmed}**/*.mp4"`)
  }
  if (trimmed.split('/').includes('..')) {
    throw validationError(`invalid glob ${JSON.stringify(glob)}: it cannot leave the source folder ("..")`, 'e.g. "**/*.mp4"; put the folder in --path')
  }
  compileGlob(glob)
}

export interface FolderCheck {
  config: LocalSourceConfig
  warnings: string[]
}

export async function checkLocalFolder(
  config: LocalSourceConfig,
  opts: { userHome: string; allowMissing?: boolean; others: readonly Source[] },
): Promise<FolderCheck> {
  const folder = path.resolve(expandHome(config.path, opts.userHome))
  checkGlob(config.glob)
  const warnings: string[] = []
  const hint = 'give an existing folder with --path (or --allow-missing for a drive that is not mounted yet)'
  let real = folder
  try {
    const st = await stat(folder)
    if (!st.isDirectory()) throw validationError(`${folder} is not a folder`, 'give the folder that holds the recordings with --path')
    await access(folder, constants.R_OK | constants.X_OK)
    real = await realpath(folder)
  } catch (e) {
    if (e instanceof RecflowError) throw e
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') throw validationError(`folder ${folder} cannot be read (${code ?? (e as Error).message})`, 'check its permissions')
    if (!opts.allowMissing) throw validationError(`folder ${folder} does not exist`, hint)
    warnings.push(`folder ${folder} does not exist yet; \`recflow sync\` reports this source as failed until it does`)
  }
  for (const other of opts.others) {
    const theirs = localSourceConfigSchema.safeParse(other.config)
    if (other.platform !== 'local' || !theirs.success) continue
    const otherFolder = path.resolve(expandHome(theirs.data.path, opts.userHome))
    const otherReal = await realpath(otherFolder).catch(() => otherFolder)
    // The refusal does not depend on the globs, so the hint offers folders, never a narrower glob.
    const split = `or give each source a folder of its own (\`recflow sources edit ${other.id} --path DIR\`)`
    const overlap =
      real === otherReal
        ? { is: 'is already the folder of', hint: `source ${other.id} syncs these files (\`recflow sync ${other.id}\`); use it, ${split}` }
        : inside(real, otherReal) && theirs.data.recursive
          ? { is: 'is inside the folder of', hint: `source ${other.id} syncs these files with its subfolders (\`recflow sync ${other.id}\`); use it, ${split}` }
          : inside(otherReal, real) && config.recursive
            ? { is: 'holds the folder of', hint: `pick a folder that does not hold source ${other.id}'s, or remove that source (\`recflow sources remove ${other.id}\`)` }
            : undefined
    if (overlap) {
      throw new RecflowError('conflict', `${folder} ${overlap.is} source ${other.id} "${other.name}": its files would become two recordings each`, { hint: overlap.hint })
    }
  }
  return { config: { ...config, path: folder }, warnings }
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

import fs from 'node:fs'
import path from 'node:path'
import { conflict } from '../domain/errors.js'
import { makeDemoLecture } from '../media/demo-lecture.js'
import type { ServiceDeps, UserRef } from './context.js'
import type { RunControl } from '../domain/events.js'
import { listAll } from './paging.js'
import type { PresetsService } from './presets.js'
import type { RunResult, RunService } from './run.js'
import type { SourcesService } from './sources.js'
import type { TemplatesService } from './templates.js'

export interface DemoResult {
  lecture: string
  spoken: boolean
  inbox: string
  published: string
  source: { id: number; name: string }
  preset: { id: number; name: string }
  template: { id: number; name: string }
  run: RunResult
  outputs: string[]
}

const NAMES = { source: 'demo', preset: 'demo folder', template: 'Demo lecture' } as const

/**
 * `recflow demo`: makes a sample lecture, a local source, a template and a folder preset (reusing them when they
 * exist), then runs the whole pipeline. Everything lives under `<data>/demo/`, so it never touches real work.
 */
export function demoService(
  deps: ServiceDeps,
  services: { sources: SourcesService; presets: PresetsService; templates: TemplatesService; run: RunService },
) {
  return {
    async run(user: UserRef, opts: { dir?: string; fresh?: boolean }, control: RunControl = {}): Promise<DemoResult> {
      const root = path.resolve(opts.dir ?? path.join(deps.env.dataDir, 'demo'))
      const inbox = path.join(root, 'inbox')
      const published = path.join(root, 'published')
      const scope = deps.scopes.forUser(user.id)
      const find = async <T extends { name: string }>(list: () => Promise<T[]>, name: string) => (await list()).find((x) => x.name === name)
      const existing = await find(() => listAll((p) => scope.sources.list({}, p)), NAMES.source)
      const existingInbox = (existing?.config as { path?: unknown } | undefined)?.path
      if (existing && typeof existingInbox === 'string' && path.resolve(existingInbox) !== inbox) {
        // One demo per home: a second folder would get a source that syncs nothing and a preset publishing elsewhere.
        const where = path.dirname(path.resolve(existingInbox))
        const again = where === path.join(deps.env.dataDir, 'demo') ? 'recflow demo' : `recflow demo --dir ${JSON.stringify(where)}`
        throw conflict(
          `the demo is already set up in ${where} (source "${existing.name}", id ${existing.id}), not in ${root}`,
          `run \`${again}\` to run it there again, or use another home for a second demo: \`recflow demo --home DIR\``,
        )
      }
      fs.mkdirSync(inbox, { recursive: true })
      fs.mkdirSync(published, { recursive: true })
      const lecturePath = path.join(inbox, 'Demo lecture - recflow.mp4')
      let spoken = true
      if (opts.fresh || !fs.existsSync(lecturePath)) {
        control.onEvent?.({ type: 'log', level: 'info', message: 'making a sample lecture with ffmpeg…' })
        const made = await makeDemoLecture(await deps.media.tools(), {
          output: lecturePath,
          workDir: path.join(root, '.work'),
          pathEnv: deps.env.pathEnv,
          signal: control.signal,
        })
        spoken = made.spoken
      }

      const source = existing ?? (await services.sources.create(user, { name: NAMES.source, platform: 'local', config: { path: inbox } }))
      const preset =
        (await find(() => listAll((p) => scope.presets.list({}, p)), NAMES.preset)) ??
        (await services.presets.create(user, {
          name: NAMES.preset,
          platform: 'local',
          preset_metadata: {
            destination: published,
            title_template: '{display_name} — {start_time:DD.MM.YYYY}',
            description_template: 'Recorded {date_time}, {duration} after trimming.',
            tags: ['recflow', 'demo'],
          },
        }))
      const template =
        (await find(() => listAll((p) => scope.templates.list({ includeDrafts: true }, p)), NAMES.template)) ??
        (await services.templates.create(user, {
          name: NAMES.template,
          matching_rules: { keywords: ['Demo lecture'], source_ids: [source.id] },
          output_config: { preset_ids: [preset.id] },
        }))

      const run = await services.run.run(user, { sourceIds: [source.id] }, control)
      const outputs = run.recordings.flatMap((o) => o.result?.targets.map((t) => t.location).filter((l): l is string => !!l) ?? [])
      return {
        lecture: lecturePath,
        spoken,
        inbox,
        published,
        source: { id: source.id, name: source.name },
        preset: { id: preset.id, name: preset.name },
        template: { id: template.id, name: template.name },
        run,
        outputs,
      }
    },
  }
}

export type DemoService = ReturnType<typeof demoService>

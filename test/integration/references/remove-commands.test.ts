import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

// Through oclif in-process on dist/ (test/support/run-in-process.ts): build first (`npm test` does).

let home: string
const cli = (...args: string[]) => runCommandInProcess(args, { home })

beforeAll(() => {
  home = tempHome()
})
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

describe('presets remove / sources remove / templates show through the CLI', () => {
  it('refuses to remove a preset a template uses, names the template, and --force takes it out', async () => {
    const preset = (await cli('presets', 'add', 'Archive', '--platform', 'local', '--destination', path.join(home, 'out'), '--json')).json.data
    const template = (await cli('templates', 'add', 'Algebra', '--keyword', 'Algebra', '--preset', String(preset.id), '--json')).json.data

    const refused = await cli('presets', 'remove', String(preset.id), '--json')
    expect(refused.code).toBe(1)
    expect(refused.json.error.code).toBe('conflict')
    expect(refused.json.error.message).toContain(`template ${template.id} "Algebra" (output_config.preset_ids)`)
    expect(refused.json.error.hint).toContain(`recflow presets remove ${preset.id} --force`)

    const forced = await cli('presets', 'remove', String(preset.id), '--force')
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain(`Removed preset ${preset.id}.`)
    expect(forced.stdout).toContain(`Taken out of template ${template.id} "Algebra".`)
    const shown = await cli('templates', 'show', String(template.id), '--json')
    expect(shown.json.data.output_config).toEqual({ preset_ids: [] })
  })

  it('refuses to remove a source a template uses; --force takes it out of the template', async () => {
    const folder = (name: string) => fs.mkdirSync(path.join(home, name), { recursive: true }) ?? path.join(home, name)
    const source = (await cli('sources', 'add', 'local', 'Lectures', '--path', folder('lectures'), '--json')).json.data
    const other = (await cli('sources', 'add', 'local', 'Seminars', '--path', folder('seminars'), '--json')).json.data
    const template = (await cli('templates', 'add', 'Geometry', '--keyword', 'Geometry', '--source', String(source.id), '--source', String(other.id), '--json')).json.data

    expect((await cli('sources', 'remove', String(source.id))).code).toBe(1)
    const forced = await cli('sources', 'remove', String(source.id), '--force', '--json')
    expect(forced.json.data).toEqual({ id: source.id, removed: true, detached: [{ id: template.id, name: 'Geometry' }] })
    expect((await cli('templates', 'show', String(template.id), '--json')).json.data.matching_rules.source_ids).toEqual([other.id])
  })

  it('refuses to remove a template a job uses; --force takes it out and says the job is disabled', async () => {
    const template = (await cli('templates', 'add', 'Topology', '--keyword', 'Topology', '--json')).json.data
    const job = (await cli('jobs', 'add', 'nightly', '--template', String(template.id), '--at', '02:00', '--json')).json.data

    const refused = await cli('templates', 'remove', String(template.id))
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`Error: template ${template.id} is still used by job ${job.id} "nightly"`)
    const forced = await cli('templates', 'remove', String(template.id), '--force')
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.stdout).toContain(`Taken out of job ${job.id} "nightly" (disabled, so that it does not run wider than before; \`recflow jobs edit ${job.id}\`, then \`recflow jobs enable ${job.id}\`).`)
    expect((await cli('jobs', 'show', String(job.id), '--json')).json.data).toMatchObject({ template_ids: [], is_active: false })
  })
})

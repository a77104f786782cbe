import { BaseCommand } from '../src/cli/base-command.js'

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary = 'Checks what recflow needs: ffmpeg and ffprobe, the database, the secret store.'
  static override description = 'Exits with code 1 when a check fails; each failed check says how to fix it.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(Doctor)
    const app = await this.app(flags)
    const report = await app.services.doctor.run()
    if (!report.ok) process.exitCode = 1
    return this.present(report, (r) => [
      ...r.checks.flatMap((c) => [`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`, ...(c.hint ? [`      ${c.hint}`] : [])]),
      '',
      `config ${r.paths.config} · data ${r.paths.data} · node ${r.node}`,
      r.ok ? 'Everything recflow needs is here.' : 'Some checks failed; see the hints above.',
    ])
  }
}

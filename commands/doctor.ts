import { BaseCommand } from '../src/cli/base-command.js'
import { loadProcessRuntimeEnv } from '../src/platform/config.js'
import type { DoctorService } from '../src/services/doctor.js'

type DoctorReport = Awaited<ReturnType<DoctorService['run']>>

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary = 'Checks what recflow needs: ffmpeg and ffprobe, the database, the secret store, your stored config.'
  static override description =
    'Exits with code 1 when a check fails; each failed check says how to fix it. With --json a failed check gives `{"ok":false,"error":{"code":"doctor_failed",…},"data":{…}}`.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run() {
    const { flags } = await this.parse(Doctor)
    const report = await this.report(flags)
    // A failed check is a failure scripts can test (`ok:false`, exit 1) that still carries every check.
    if (!report.ok) {
      const failed = report.checks.filter((c) => !c.ok)
      this.endedBadly({
        exitCode: 1,
        error: {
          code: 'doctor_failed',
          message: `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => c.name).join(', ')}`,
          hint: failed.find((c) => c.hint)?.hint ?? 'see each failed check in data.checks',
        },
      })
    }
    return this.present(report, (r) => [
      ...r.checks.flatMap((c) => [`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`, ...(c.hint ? [`      ${c.hint}`] : [])]),
      '',
      `config ${r.paths.config} · data ${r.paths.data} · node ${r.node}`,
      r.ok ? 'Everything recflow needs is here.' : 'Some checks failed; see the hints above.',
    ])
  }

  /** A database that cannot be opened (not recflow's, its disk full) is one failed check, not the end of the report. */
  private async report(flags: { home?: string }): Promise<DoctorReport> {
    try {
      const app = await this.app(flags)
      return await (await app.service('doctor')).run(app.localUser)
    } catch (e) {
      const { doctorWithoutDatabase, isUnopenableDatabase } = await import('../src/app.js')
      if (!isUnopenableDatabase(e)) throw e
      return (await doctorWithoutDatabase(loadProcessRuntimeEnv({ home: flags.home }), e)).run()
    }
  }
}

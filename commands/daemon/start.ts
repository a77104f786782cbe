import path from 'node:path'
import { Flags } from '@oclif/core'
import { BaseCommand, type CommandFlags } from '../../src/cli/base-command.js'
import { describeReady } from '../../src/cli/presenters/daemon.js'
import { isRecflowError, RecflowError } from '../../src/domain/errors.js'
import { parseDuration } from '../../src/domain/time/duration.js'
import { createJsonLogger, type LogLevel } from '../../src/platform/logger.js'
import { rotatingLogWriter } from '../../src/platform/log-rotation.js'
import type { DaemonMode } from '../../src/services/daemon/daemon-files.js'

const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug']
const READY_TIMEOUT_MS = 60_000

export default class DaemonStart extends BaseCommand<typeof DaemonStart> {
  static override summary = 'Runs the multi-user daemon: the REST API, the worker and the scheduler, until stopped.'
  static override description =
    'The worker runs every user\'s queued tasks and the scheduler queues due automation jobs each minute. Logs are JSON lines on stderr (with --detach, in daemon.log in the data folder, rotated at 1 MB). SIGTERM or Ctrl-C stops it gracefully: no new task is taken, running ones get --grace to finish, the rest go back to the queue. One daemon per home (a pid file in the data folder); the CLI keeps working beside it.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --host 0.0.0.0 --port 8080 --detach',
    '<%= config.bin %> <%= command.id %> --worker-only --grace 2m',
  ]
  static override flags = {
    host: Flags.string({ summary: 'Address the API listens on (0.0.0.0: every interface).', default: '127.0.0.1', env: 'RECFLOW_DAEMON_HOST' }),
    port: Flags.integer({ summary: 'Port the API listens on (0: any free port).', default: 8000, min: 0, max: 65535, env: 'RECFLOW_DAEMON_PORT' }),
    detach: Flags.boolean({ summary: 'Run in the background: print the pid and URL once it is ready, then return.' }),
    'api-only': Flags.boolean({ summary: 'Serve the API only (another daemon runs the tasks: --worker-only).', exclusive: ['worker-only'] }),
    'worker-only': Flags.boolean({ summary: 'Run the worker and the scheduler only, without the API.', exclusive: ['api-only'] }),
    grace: Flags.string({ summary: 'How long running tasks may finish after a stop before they go back to the queue (e.g. 30s, 2m).', default: '30s' }),
    'max-upload': Flags.integer({ summary: 'Largest media file POST /api/v1/recordings accepts, in MiB (413 beyond).', default: 4096, min: 1, max: 1024 * 1024, env: 'RECFLOW_DAEMON_MAX_UPLOAD_MIB' }),
    concurrency: Flags.integer({ summary: 'Tasks run at once, over all users (each user is further limited by their plan).', default: 2, min: 1, max: 64 }),
    'log-level': Flags.string({ summary: 'Least important log lines written.', options: LOG_LEVELS, default: 'info' }),
    'log-file': Flags.string({ hidden: true, summary: 'Write the log here, rotated (what --detach gives the daemon).' }),
  }

  async run() {
    const { flags } = await this.parse(DaemonStart)
    const graceMs = parseDuration(flags.grace, '--grace')
    const mode: DaemonMode = flags['api-only'] ? 'api' : flags['worker-only'] ? 'worker' : 'full'
    if (flags.detach) return this.detach(flags, mode)

    const file = flags['log-file'] ? rotatingLogWriter(flags['log-file']) : undefined
    const logger = createJsonLogger(flags['log-level'] as LogLevel, file ? (line) => file.write(line) : undefined)
    const { reportToParent } = await import('../../daemon/detach.js')
    try {
      // Credentials are sealed into the database in daemon mode (unless RECFLOW_SECRET_STORE says otherwise).
      const app = await this.app(flags, { logger }, { defaultSecretStore: 'database' })
      if (app.env.secretStore === 'database') await (await app.service('credentialKeys')).ensure()
      const [{ runDaemon }, { startHttp }] = await Promise.all([import('../../daemon/process.js'), import('../../daemon/http.js')])
      const exit = await runDaemon(app, {
        mode,
        host: flags.host,
        port: flags.port,
        graceMs,
        concurrency: flags.concurrency,
        logger,
        startHttp: (a, o) => startHttp(a, { ...o, version: this.config.version, uploadLimit: flags['max-upload'] * 1024 * 1024 }),
        onReady: (info) => {
          reportToParent({ type: 'ready', info })
          // stdout: stderr carries the JSON log lines.
          if (!flags['log-file'] && !this.jsonEnabled()) process.stdout.write(describeReady(info, false) + '\n')
        },
      })
      return this.present({ stopped: true, ...exit }, (e) => `Daemon stopped (${e.signal})${e.handedBack.length > 0 ? `; task(s) ${e.handedBack.join(', ')} handed back to the queue` : ''}.`)
    } catch (e) {
      const err = isRecflowError(e) ? e : new RecflowError('internal', (e as Error).message)
      logger.error('daemon failed', { code: err.code, error: err.message })
      reportToParent({ type: 'failed', error: { code: err.code, message: err.message, hint: err.hint } })
      throw e
    } finally {
      file?.close()
    }
  }

  /** Re-runs this command detached (the same flags, the log to a file) and reports its pid and URL. */
  private async detach(flags: CommandFlags<typeof DaemonStart>, mode: DaemonMode) {
    const app = await this.app(flags)
    const daemon = await app.service('daemon')
    daemon.refuseIfRunning(mode)
    const { daemonPaths } = await import('../../src/services/daemon/daemon-files.js')
    const log = daemonPaths(app.env, mode).log
    const args = ['daemon', 'start', '--host', flags.host, '--port', String(flags.port), '--grace', flags.grace, '--concurrency', String(flags.concurrency), '--max-upload', String(flags['max-upload']), '--log-level', flags['log-level'], '--log-file', log]
    if (flags.home) args.push('--home', path.resolve(flags.home))
    if (mode !== 'full') args.push(mode === 'api' ? '--api-only' : '--worker-only')
    const { startDetached } = await import('../../daemon/detach.js')
    const info = await startDetached({ argv: [...process.execArgv, path.join(this.config.root, 'bin', 'run.js'), ...args], log, timeoutMs: READY_TIMEOUT_MS })
    return this.present({ ...info, log }, (i) => [describeReady(i, true), `Log: ${log}`])
  }
}

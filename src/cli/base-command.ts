import { Command, Flags, type Interfaces } from '@oclif/core'
import type { App, CreateAppOptions } from '../app.js'
import { debugEnabled, loadProcessRuntimeEnv, type SecretStorePreference } from '../platform/config.js'
import { RecflowError, isRecflowError, usageError } from '../domain/errors.js'
import type { PipelineStage, RunControl } from '../domain/events.js'
import { printError } from './print-error.js'
import { cleanOclifMessage, toErrorEnvelope, withCommandHint } from './error-envelope.js'
import type { CommandFailure } from './run-exit.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Every recflow command: `--json` prints one envelope `{"ok":true,"data":…}` or `{"ok":false,"error":…}` on
 * stdout; otherwise text goes to stdout and diagnostics to stderr. Errors map to the exit codes of DESIGN.md §6
 * in one place (toErrorEnvelope), and never print a stack trace for a user error.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {
    home: Flags.string({
      helpGroup: 'GLOBAL',
      summary: 'Folder for recflow config and data (default: XDG dirs).',
      env: 'RECFLOW_HOME',
    }),
  }

  private appInstance: App | undefined

  /**
   * Opens the database (running migrations) once per command invocation. The composition root is imported here,
   * not at the top, so `--help` and commands that never open the database do not load it; services are then
   * built (and their modules loaded) only when the command asks for them: `await app.service('recordings')`.
   */
  protected async app(flags?: { home?: string }, opts?: CreateAppOptions, env?: { defaultSecretStore?: SecretStorePreference }): Promise<App> {
    if (!this.appInstance) {
      const { createApp } = await import('../app.js')
      this.appInstance = await createApp(loadProcessRuntimeEnv({ home: flags?.home, ...env }), opts)
    }
    return this.appInstance
  }

  /** Every failure to parse argv (including an arg's own parse function) is a usage error, exit 2. */
  protected override async parse<F extends Interfaces.OutputFlags<any>, B extends Interfaces.OutputFlags<any>, A extends Interfaces.OutputArgs<any>>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv)
    } catch (e) {
      if (isRecflowError(e) || (e as { parse?: unknown }).parse !== undefined) throw e
      throw usageError(cleanOclifMessage((e as Error).message), 'see `recflow <command> --help` for the arguments and examples')
    }
  }

  /** Prints human text unless --json is on; returns the data for the JSON envelope. */
  protected present<R>(data: R, text: (data: R) => string | string[]): R {
    if (!this.jsonEnabled()) {
      const out = text(data)
      const lines = Array.isArray(out) ? out : [out]
      if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n')
    }
    return data
  }

  /** A diagnostic line on stderr (hidden under --json so scripts get only the envelope). */
  protected note(message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(message + '\n')
  }

  /**
   * Runs long work with the progress output that fits (Ink on a TTY, plain lines when piped, nothing under
   * --json) and one AbortSignal that `q`/Ctrl-C trips; a cancelled run exits 130.
   */
  protected async withProgress<R>(
    app: App,
    work: (control: RunControl) => Promise<R>,
    opts: { plannedStages?: readonly PipelineStage[]; summary?: (result: R) => string | undefined } = {},
  ): Promise<R> {
    // Only commands with progress load the progress output (and, on a terminal, Ink).
    const { chooseProgressMode, createProgressOutput } = await import('./progress-output.js')
    const controller = new AbortController()
    const progress = createProgressOutput({
      mode: chooseProgressMode({ json: this.jsonEnabled(), isTTY: process.stdout.isTTY, ci: app.env.isCi }),
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      onCancel: () => controller.abort(),
      plannedStages: opts.plannedStages,
    })
    let result: R
    try {
      result = await work({ signal: controller.signal, onEvent: progress.onEvent })
    } catch (e) {
      // A failure gets no summary line: the error (printed by catch) is the outcome, and a summary of a run that
      // failed before any event would read "nothing to do". A cancelled run still says what it got through.
      if (progress.cancelling) await progress.finish()
      progress.dispose()
      throw e
    }
    await progress.finish(opts.summary?.(result))
    progress.dispose()
    if (controller.signal.aborted) {
      // Its own hint, or the generic "see --help" one would be added: a cancel is not a usage problem.
      throw new RecflowError('cancelled', 'cancelled', { hint: 'run the same command again to resume from the first unfinished stage' })
    }
    return result
  }

  /** Set by endedBadly: the command's work ended but not well (a run with a failed recording). */
  private failure: CommandFailure | null = null

  /**
   * The work ended but not well: exit with `failure.exitCode` (the first failure reported wins), and with --json
   * print `{"ok":false,"error":…,"data":…}` with the whole result, so a script that reads `ok` is not misled.
   */
  protected endedBadly(failure: CommandFailure | null): void {
    if (failure === null || this.failure !== null) return
    this.failure = failure
    process.exitCode = failure.exitCode
  }

  protected override toSuccessJson(result: unknown): unknown {
    if (this.failure) return { ok: false, error: this.failure.error, data: result ?? null }
    return { ok: true, data: result ?? null }
  }

  protected override toErrorJson(err: unknown): unknown {
    return withCommandHint(toErrorEnvelope(err).envelope, this.id)
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<void> {
    // this.exit() inside a command throws an ExitError that must keep its code.
    if ((err as { oclif?: { exit?: number } }).oclif?.exit !== undefined && err.name === 'ExitError') throw err
    const { envelope: bare, exitCode, stack } = toErrorEnvelope(err)
    const envelope = withCommandHint(bare, this.id)
    process.exitCode = exitCode
    printError(envelope, { json: this.jsonEnabled(), stack: stack && debugEnabled() ? stack : undefined })
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    await this.appInstance?.close()
    this.appInstance = undefined
    await super.finally(err)
  }
}

import { Command, Flags, type Interfaces } from '@oclif/core'
import type { App } from '../app.js'
import { createApp } from '../app.js'
import { debugEnabled, loadProcessRuntimeEnv } from '../platform/config.js'
import { toErrorEnvelope } from './error-envelope.js'

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

  /** Opens the database (running migrations) once per command invocation. */
  protected async app(flags?: { home?: string }): Promise<App> {
    if (!this.appInstance) {
      this.appInstance = await createApp(loadProcessRuntimeEnv({ home: flags?.home }))
    }
    return this.appInstance
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

  protected override toSuccessJson(result: unknown): unknown {
    return { ok: true, data: result ?? null }
  }

  protected override toErrorJson(err: unknown): unknown {
    return toErrorEnvelope(err).envelope
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<void> {
    // this.exit() inside a command throws an ExitError that must keep its code.
    if ((err as { oclif?: { exit?: number } }).oclif?.exit !== undefined && err.name === 'ExitError') throw err
    const { envelope, exitCode, stack } = toErrorEnvelope(err)
    process.exitCode = exitCode
    if (this.jsonEnabled()) {
      this.logJson(envelope)
      return
    }
    const lines = [`Error: ${envelope.error.message}`]
    if (envelope.error.hint) lines.push(`Hint: ${envelope.error.hint}`)
    if (stack && debugEnabled()) lines.push(stack)
    process.stderr.write(lines.join('\n') + '\n')
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    await this.appInstance?.close()
    this.appInstance = undefined
    await super.finally(err)
  }
}

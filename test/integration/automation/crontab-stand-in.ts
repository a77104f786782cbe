import fs from 'node:fs'
import path from 'node:path'

/**
 * A `crontab` command in `bin` that keeps the table in `table`: what recflow uses of the real one (`-l` prints it,
 * or "no crontab for USER" with exit 1 when there is none; `-` replaces it from stdin).
 */
export function writeCrontabStandIn(bin: string, table: string): void {
  fs.mkdirSync(bin, { recursive: true })
  fs.writeFileSync(
    path.join(bin, 'crontab'),
    `#!/bin/sh\ncase "$1" in\n  -l) if [ -f '${table}' ]; then cat '${table}'; else echo "no crontab for tester" >&2; exit 1; fi ;;\n  -) cat > '${table}' ;;\n  *) echo "usage: crontab [-l | -]" >&2; exit 2 ;;\nesac\n`,
    { mode: 0o755 },
  )
}

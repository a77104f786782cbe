#!/usr/bin/env node
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fastAnswer } from '../dist/src/cli/fast-path.js'

// `--version` and the root `--help` answered without loading oclif, exactly as oclif prints them (see fast-path.ts).
const answer = fastAnswer({
  argv: process.argv.slice(2),
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
})
if (answer !== undefined) {
  process.stdout.write(answer)
} else {
  const { execute } = await import('@oclif/core')
  await execute({ dir: import.meta.url })
}

#!/usr/bin/env -S node --max-semi-space-size=2 --max-old-space-size=512
// The heap flags above keep a long command's memory near what it holds: left to its defaults, V8 lets the heap of
// a 10,000-file first sync grow to ~110 MB of garbage (183 MB RSS, against ~105 MB with these). recflow's live heap
// stays in the tens of MB; `node --max-old-space-size=N bin/run.js …` overrides the cap where more is needed.
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

#!/usr/bin/env node
// Runs every test/**/*.test.ts on Node's built-in runner through tsx, so CI reads the runner's summary.
// Node 20's --test takes no globs, hence this walk. Pass file or folder names to run a subset.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(p, out) {
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort()) walk(join(p, name), out);
  } else if (p.endsWith('.test.ts')) {
    out.push(p);
  }
  return out;
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['test']).flatMap((r) => walk(r, []));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Every test gets a bound (a test may set a longer `timeout` itself), so the suite finishes, pass or
// fail, on a loaded machine instead of hanging on one stuck wait. 120 s is generous: the slowest test
// takes well under a minute on a quiet 2-core machine. --test-timeout needs Node 20.11 or later.
const TEST_TIMEOUT_MS = 120_000;
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);

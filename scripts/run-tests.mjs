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
// Every test, and every test file as a whole (the runner bounds each file's process too), gets a bound,
// so the suite finishes, pass or fail, on a loaded machine instead of hanging on one stuck wait. The
// slowest file, PocketSphinx decoding 20 real prompts one process at a time, takes about 90 s on a
// 2-core machine at load 6, hence 300 s. --test-timeout needs Node 20.11 or later.
const TEST_TIMEOUT_MS = 300_000;
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);

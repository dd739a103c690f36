#!/usr/bin/env node
// `npm run bench`: every benchmark, one after the other (they would disturb each other's timings if run
// together). Each prints JSON lines with its own baseline measured in the same run and the ratio.
// Pass names to run a subset: `npm run bench -- sms export`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const scripts = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts;
const wanted = process.argv.slice(2);
const names = Object.keys(scripts)
  .filter((k) => k.startsWith('bench:'))
  .filter((k) => wanted.length === 0 || wanted.includes(k.slice('bench:'.length)));
let failed = 0;
for (const name of names) {
  process.stderr.write(`# ${name}\n`);
  const r = spawnSync('npm', ['run', '--silent', name], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);

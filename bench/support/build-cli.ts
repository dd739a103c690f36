import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `scripts/build.mjs` into `work`/dist beside copies of bin/ and package.json: the layout of a checkout.
 * Returns the copied bin/callkeeper.mjs. Shared by bench:e2e and bench:export.
 */
export function buildCli(work: string): string {
  mkdirSync(join(work, 'bin'));
  copyFileSync(join(ROOT, 'bin', 'callkeeper.mjs'), join(work, 'bin', 'callkeeper.mjs'));
  copyFileSync(join(ROOT, 'package.json'), join(work, 'package.json'));
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--out-dir', join(work, 'dist'), '--no-check'], { stdio: 'inherit', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`build failed (${r.status ?? r.error?.message})`);
  return join(work, 'bin', 'callkeeper.mjs');
}

#!/usr/bin/env node
// `npm run build`: compiles src/ to plain ESM JavaScript in dist/ (tsconfig.build.json; `.ts` import
// specifiers become `.js`), then copies the files the code reads at run time beside its own module
// (`new URL(..., import.meta.url)`): every file under src/ that tsc does not compile, except
// documentation. dist/ is emptied first, so a file deleted from src/
// cannot linger there.
//
//   node scripts/build.mjs [--out-dir DIR] [--no-check]
//
// --out-dir builds elsewhere (test/build/dist-build.test.ts builds into a temp folder); --no-check
// skips type checking (`npm run typecheck` does it), for that test's speed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/**
 * Files of src/ that only the sources need. outbox-writer-thread.cjs registers tsx in a worker thread
 * (see its header); from dist/ the compiled outbox-writer-thread.js starts instead, and nothing in dist/
 * may need tsx, a devDependency.
 */
const DEV_ONLY = new Set(['compose/outbox-writer-thread.cjs']);
const compiled = (name) => name.endsWith('.ts');
const documentation = (name) => name.endsWith('.md');

function parseArgs(argv) {
  const opts = { outDir: join(root, 'dist'), check: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir' && argv[i + 1]) opts.outDir = resolve(argv[++i]);
    else if (argv[i] === '--no-check') opts.check = false;
    else {
      console.error(`build: unknown argument ${argv[i]} (usage: node scripts/build.mjs [--out-dir DIR] [--no-check])`);
      process.exit(2);
    }
  }
  return opts;
}

function* assets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* assets(path);
    else if (!compiled(entry.name) && !documentation(entry.name) && !DEV_ONLY.has(relative(src, path).split('\\').join('/'))) yield path;
  }
}

const opts = parseArgs(process.argv.slice(2));
rmSync(opts.outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const args = [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', opts.outDir, ...(opts.check ? [] : ['--noCheck'])];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`build: tsc failed (exit ${r.status ?? r.signal})`);
  process.exit(1);
}
let copied = 0;
for (const file of assets(src)) {
  const to = join(opts.outDir, relative(src, file));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(file, to);
  copied++;
}
console.error(`build: ${opts.outDir} ready (${copied} asset files copied)`);

#!/usr/bin/env node
// Entry point of the `callkeeper` command: runs the compiled JavaScript in dist/ (`npm run build`; the
// set-up script builds after `npm ci`). CALLKEEPER_DEV=1 runs the TypeScript sources through tsx
// instead (a devDependency), so that a test or a developer can run src/ as it is without building.
import { existsSync } from 'node:fs';

const dev = process.env.CALLKEEPER_DEV === '1';
const entry = new URL(dev ? '../src/cli/main.ts' : '../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('callkeeper: dist/ is missing: run npm run build (or set CALLKEEPER_DEV=1 to run the sources with tsx)\n');
  process.exit(1);
}
if (dev) {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write('callkeeper: CALLKEEPER_DEV=1 needs tsx (a devDependency): run npm ci, or unset CALLKEEPER_DEV and run npm run build\n');
    process.exit(1);
  }
  tsx.register();
}
const { runCli } = await import(entry.href);
process.exitCode = await runCli(process.argv);

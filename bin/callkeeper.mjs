#!/usr/bin/env node
// Entry point of the `callkeeper` command: runs the TypeScript sources through tsx's loader, so a
// fresh checkout needs no build step (`npm ci` then `npx callkeeper ...`).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv);

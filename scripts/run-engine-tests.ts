#!/usr/bin/env node
// `npm run test:engines`: the real-engine tier (test/engines/README.md). Checks that Asterisk,
// FreeSWITCH and SIPp are here (one line naming what is missing, exit 1), then runs
// test/engines/*.engine.ts on Node's test runner through tsx, bounded in time as a whole.
// Pass `asterisk` or `freeswitch` to run one engine. CALLKEEPER_ENGINES_KEEP=1 keeps the engines' logs.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The whole tier normally takes about 5 minutes; past this something hangs. */
const TIER_GUARD_MS = 12 * 60_000;

const programs = [
  ['asterisk', 'CALLKEEPER_ASTERISK_BIN', '/opt/asterisk/sbin/asterisk'],
  ['freeswitch', 'CALLKEEPER_FREESWITCH_BIN', '/opt/freeswitch/bin/freeswitch'],
  ['sipp', 'SIPP', 'sipp'],
];
const runnable = (p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const find = (v) => (v.includes('/') ? (runnable(v) ? v : null) : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, v)).find(runnable) ?? null);

const engines = process.argv.slice(2);
for (const e of engines) {
  if (e !== 'asterisk' && e !== 'freeswitch') {
    console.error(`engine tier: unknown engine ${e} (asterisk or freeswitch)`);
    process.exit(2);
  }
}
const wanted = engines.length > 0 ? engines : ['asterisk', 'freeswitch'];
const missing = programs
  .filter(([name]) => name === 'sipp' || wanted.includes(name))
  .map(([name, key, fallback]) => [name, key, process.env[key] ?? fallback])
  .filter(([, , value]) => find(value) === null)
  .map(([name, key, value]) => `${name} (${key}=${value})`);
if (missing.length > 0) {
  console.error(`engine tier: not found: ${missing.join(', ')}; install them (test/engines/README.md) or point the variables at them`);
  process.exit(1);
}
// SIPp's play_pcap_audio sends the callers' RTP through a raw socket.
if (process.getuid?.() !== 0) {
  console.error('engine tier: must run as root (SIPp play_pcap_audio sends the callers\' audio through a raw socket)');
  process.exit(1);
}
const sippVersion = spawnSync(find(process.env.SIPP ?? 'sipp'), ['-v'], { encoding: 'utf8' }).stdout ?? '';
if (!/PCAP/.test(sippVersion)) {
  console.error('engine tier: this SIPp was built without pcap play (sipp -v does not list PCAP)');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'ck-engines-'));
const files = wanted.map((e) => `test/engines/${e}.engine.ts`);
const started = Date.now();
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, CALLKEEPER_ENGINES_WORK: work },
});
const guard = setTimeout(() => {
  console.error(`engine tier: still running after ${TIER_GUARD_MS / 60_000} min; stopping it`);
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
}, TIER_GUARD_MS);
child.on('exit', (code, signal) => {
  clearTimeout(guard);
  console.log(`engine tier: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (process.env.CALLKEEPER_ENGINES_KEEP === '1') console.log(`engine tier: logs and databases kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});

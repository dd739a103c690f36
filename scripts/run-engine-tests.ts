// `npm run test:engines`: the real-engine tier (test/engines/README.md). Checks that Asterisk,
// FreeSWITCH and SIPp are here (one line naming what is missing, exit 1), then runs
// test/engines/*.engine.ts on Node's test runner through tsx, bounded in time as a whole.
// Pass `asterisk` or `freeswitch` to run one engine. CALLKEEPER_ENGINES_KEEP=1 keeps the engines' logs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEngineBinaries } from '../test/engines/support/engine-binaries.ts';

/** Both engines run side by side in about 4 minutes; past this something hangs. */
const TIER_GUARD_MS = 12 * 60_000;

const engines = process.argv.slice(2);
for (const e of engines) {
  if (e !== 'asterisk' && e !== 'freeswitch') {
    console.error(`engine tier: unknown engine ${e} (asterisk or freeswitch)`);
    process.exit(2);
  }
}
const wanted = engines.length > 0 ? engines : ['asterisk', 'freeswitch'];
const found = findEngineBinaries(process.env, wanted as Array<'asterisk' | 'freeswitch'>);
if (!found.ok) {
  console.error(found.problem);
  process.exit(1);
}
// SIPp's play_pcap_audio sends the callers' RTP through a raw socket.
if (process.getuid?.() !== 0) {
  console.error("engine tier: must run as root (SIPp's play_pcap_audio sends the callers' audio through a raw socket)");
  process.exit(1);
}
if (!/PCAP/.test(spawnSync(found.bins.sipp, ['-v'], { encoding: 'utf8' }).stdout ?? '')) {
  console.error(`engine tier: ${found.bins.sipp} was built without pcap play (sipp -v does not list PCAP)`);
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

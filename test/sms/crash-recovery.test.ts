import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { DID, openMessagingDb } from './fixtures/messaging-db.ts';
import { GW_DEFAULTS } from './fixtures/smpp-pair.ts';
import { withTimeout } from '../support/wait-for.ts';

const CHILD = fileURLToPath(new URL('./fixtures/dispatcher-child.ts', import.meta.url));
const N = 1_000;
/** Each child sends at most 1,000 texts to a local SMSC: seconds when quiet; bounded well inside the test's 120 s. */
const CHILD_EXIT_MS = 50_000;

function runChild(db: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null, out }));
  return { child, exited };
}

test('1,000 queued texts, dispatcher SIGKILLed mid-burst and restarted: every text delivered, duplicates ≤ window', { timeout: 120_000 }, async (t) => {
  // Only the test creates the data; the child process owns the sending.
  const m = openMessagingDb();
  const dbPath = m.path;
  m.db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const to = `+1512556${String(i).padStart(4, '0')}`;
      m.grant(to);
      m.outbox.enqueue({ businessId: m.businessId, from: DID, to, body: `crash test #${i}`, kind: 'follow-up', callId: null, consentEventId: null });
    }
  })();
  m.db.close();
  const sim = new SmscSimulator({ receipts: 'off' });
  const port = await sim.listen();
  t.after(() => sim.close());

  const first = runChild(dbPath, port);
  t.after(() => first.child.kill('SIGKILL'));
  const killAt = 300;
  const onSubmit = (): void => {
    if (sim.submits.length >= killAt) {
      sim.off('submit', onSubmit);
      first.child.kill('SIGKILL');
    }
  };
  sim.on('submit', onSubmit);
  const r1 = await withTimeout(first.exited, CHILD_EXIT_MS, `the first dispatcher to be killed after ${killAt} submits`);
  assert.equal(r1.signal, 'SIGKILL');
  const acceptedBeforeKill = sim.submits.filter((s) => s.messageId !== null).length;
  assert.ok(acceptedBeforeKill >= killAt && acceptedBeforeKill < N, `killed mid-burst (${acceptedBeforeKill} accepted)`);

  const check = openMessagingDb({ path: dbPath });
  const inDoubt = check.db.prepare("SELECT count(*) FROM outbound_messages WHERE state = 'submitting'").pluck().get() as number;
  check.db.close();
  assert.ok(inDoubt <= GW_DEFAULTS.window, `${inDoubt} submitting after the kill`);

  const second = runChild(dbPath, port);
  t.after(() => second.child.kill('SIGKILL'));
  const r2 = await withTimeout(second.exited, CHILD_EXIT_MS, 'the restarted dispatcher to send the rest and exit');
  assert.equal(r2.code, 0, r2.out);

  const after = openMessagingDb({ path: dbPath });
  t.after(() => after.close());
  const states = after.db.prepare('SELECT state, count(*) AS n FROM outbound_messages GROUP BY state').all();
  assert.deepEqual(states, [{ state: 'submitted', n: N }]);
  const counts = new Map<string, number>();
  for (const s of sim.submits) if (s.messageId !== null) counts.set(s.text, (counts.get(s.text) ?? 0) + 1);
  for (let i = 0; i < N; i++) assert.ok(counts.has(`crash test #${i}`), `text ${i} reached the SMSC`);
  const duplicates = [...counts.values()].reduce((n, c) => n + c - 1, 0);
  assert.ok(duplicates <= GW_DEFAULTS.window, `${duplicates} duplicates`);
  t.diagnostic(`accepted before kill ${acceptedBeforeKill}, in doubt ${inDoubt}, duplicates ${duplicates}`);
});

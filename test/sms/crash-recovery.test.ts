import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { DID, openMessagingDb } from './fixtures/messaging-db.ts';
import { GW_DEFAULTS } from './fixtures/smpp-pair.ts';
import { waitFor, waitForAsync, withTimeout } from '../support/wait-for.ts';

/**
 * The crash guarantee (src/sms/README.md, "Crash guarantee"): the sending process SIGKILLed and restarted,
 * nothing lost, at most `window + smpp.answersAhead` texts sent twice; for answersAhead 0 (the default) and 10.
 */
const CHILD = fileURLToPath(new URL('./fixtures/dispatcher-child.ts', import.meta.url));
const WINDOW = GW_DEFAULTS.window;
/** Each child sends at most 1,000 texts to a local SMSC: seconds when quiet; bounded well inside the test's 120 s. */
const CHILD_EXIT_MS = 50_000;

function runChild(db: string, port: number, ahead: number, stallAt?: number) {
  const args = ['--import', 'tsx', CHILD, db, String(port), String(ahead), ...(stallAt === undefined ? [] : [String(stallAt)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null, out }));
  return { child, exited, stalled: () => out.includes('stalled\n') };
}

function queueTexts(n: number): string {
  // Only the test creates the data; the child process owns the sending.
  const m = openMessagingDb();
  m.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const to = `+1512556${String(i).padStart(4, '0')}`;
      m.grant(to);
      m.outbox.enqueue({ businessId: m.businessId, from: DID, to, body: `crash test #${i}`, kind: 'follow-up', callId: null, consentEventId: null });
    }
  })();
  m.db.close();
  return m.path;
}

/** Texts in `submitting` (claimed, outcome not committed): what the restart resends. */
function inDoubt(dbPath: string): string[] {
  const check = openMessagingDb({ path: dbPath });
  try {
    return check.db.prepare("SELECT body FROM outbound_messages WHERE state = 'submitting'").pluck().all() as string[];
  } finally {
    check.db.close();
  }
}

/** Restarts the sender on the same database and checks: every text submitted, each reached the SMSC, duplicates within the bound. */
async function restartAndCheck(t: { after: (fn: () => unknown) => void }, dbPath: string, sim: SmscSimulator, port: number, n: number, ahead: number): Promise<number> {
  const second = runChild(dbPath, port, ahead);
  t.after(() => second.child.kill('SIGKILL'));
  const r2 = await withTimeout(second.exited, CHILD_EXIT_MS, 'the restarted dispatcher to send the rest and exit');
  assert.equal(r2.code, 0, r2.out);
  const after = openMessagingDb({ path: dbPath });
  t.after(() => after.close());
  const states = after.db.prepare('SELECT state, count(*) AS n FROM outbound_messages GROUP BY state').all();
  assert.deepEqual(states, [{ state: 'submitted', n }]);
  const counts = new Map<string, number>();
  for (const s of sim.submits) if (s.messageId !== null) counts.set(s.text, (counts.get(s.text) ?? 0) + 1);
  for (let i = 0; i < n; i++) assert.ok(counts.has(`crash test #${i}`), `text ${i} reached the SMSC`);
  const duplicates = [...counts.values()].reduce((k, c) => k + c - 1, 0);
  assert.ok(duplicates <= WINDOW + ahead, `${duplicates} duplicates (at most window ${WINDOW} + answersAhead ${ahead})`);
  return duplicates;
}

for (const ahead of [0, 10]) {
  describe(`crash recovery, smpp.answersAhead ${ahead}`, () => {
    test(`1,000 queued texts, dispatcher SIGKILLed mid-burst and restarted: every text delivered, duplicates ≤ window + ${ahead}`, { timeout: 120_000 }, async (t) => {
      const N = 1_000;
      const dbPath = queueTexts(N);
      const sim = new SmscSimulator({ receipts: 'off' });
      const port = await sim.listen();
      t.after(() => sim.close());

      const first = runChild(dbPath, port, ahead);
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
      const doubt = inDoubt(dbPath).length;
      assert.ok(doubt <= WINDOW + ahead, `${doubt} submitting after the kill`);
      const duplicates = await restartAndCheck(t, dbPath, sim, port, N, ahead);
      t.diagnostic(`accepted before kill ${acceptedBeforeKill}, in doubt ${doubt}, duplicates ${duplicates}`);
    });

    test(`the disk stalls mid-burst (no answer can be committed), then SIGKILL: every claimed text went out, in doubt and resent: ${ahead === 0 ? 'the window' : `more than the window, at most window + ${ahead}`}`, { timeout: 120_000 }, async (t) => {
      const N = 200;
      const dbPath = queueTexts(N);
      const sim = new SmscSimulator({ receipts: 'off' });
      const port = await sim.listen();
      t.after(() => sim.close());

      const first = runChild(dbPath, port, ahead, 50);
      t.after(() => first.child.kill('SIGKILL'));
      await waitFor(first.stalled, { what: 'the first dispatcher to stall its commits after 50 texts' });
      // The claims committed before the stall are all sent: the texts in doubt are at the SMSC, accepted.
      let doubt: string[] = [];
      await waitForAsync(
        async () => {
          doubt = inDoubt(dbPath);
          const accepted = new Set(sim.submits.filter((s) => s.messageId !== null).map((s) => s.text));
          return doubt.length > 0 && doubt.every((b) => accepted.has(b));
        },
        { what: 'every claimed text to reach the SMSC while the commits are stalled' },
      );
      first.child.kill('SIGKILL');
      const r1 = await withTimeout(first.exited, CHILD_EXIT_MS, 'the stalled dispatcher to die');
      assert.equal(r1.signal, 'SIGKILL');
      doubt = inDoubt(dbPath);
      assert.ok(doubt.length <= WINDOW + ahead, `${doubt.length} texts in doubt (at most window ${WINDOW} + answersAhead ${ahead})`);
      // answersAhead is in effect: the window went on sending while answers waited for their commit.
      if (ahead > 0) assert.ok(doubt.length > WINDOW, `${doubt.length} texts in doubt: more than the window, so slots were refilled before their answers were committed`);
      const duplicates = await restartAndCheck(t, dbPath, sim, port, N, ahead);
      assert.equal(duplicates, doubt.length, 'exactly the texts in doubt were sent twice');
      t.diagnostic(`in doubt ${doubt.length}, duplicates ${duplicates}`);
    });
  });
}

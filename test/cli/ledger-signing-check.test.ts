import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ledgerSigningCheck } from '../../src/cli/ledger-signing-check.ts';
import { configSchema } from '../../src/config/config-schema.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { removeNewest, rewriteRecord } from '../store/ledger-attacks.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

const INTERVAL_MS = 300_000;
const config = (ledger: Record<string, unknown> = {}) => configSchema.parse({ ledger });

async function setup(t: { after(fn: () => void): void }, opts: { keygen?: boolean; records?: number } = {}): Promise<{ db: string; cpAt: () => number }> {
  const { dir, cleanup } = tempDir('callkeeper-doctor-signing-');
  t.after(cleanup);
  const db = join(dir, 'ck.db');
  const h = openDatabase(db);
  migrate(h);
  new SqliteBusinessDirectory(h).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  const store = new SqliteConsentStore(h);
  for (let i = 1; i <= (opts.records ?? 3); i++) store.append(consentEvent({ consumer: `+1512555010${i}` }));
  h.close();
  if (opts.keygen ?? true) assert.equal((await callkeeper(['ledger', 'keygen'], { CALLKEEPER_DB: db })).code, 0);
  return { db, cpAt: () => Date.parse(JSON.parse(readFileSync(`${db}.checkpoints`, 'utf8').trim().split('\n').at(-1)!).at) };
}

function append(db: string, n: number): void {
  const h = openDatabase(db);
  const store = new SqliteConsentStore(h);
  for (let i = 0; i < n; i++) store.append(consentEvent({ consumer: '+15125550199' }));
  h.close();
}

describe("doctor's ledger-signing row", () => {
  test('key present and private, checkpoints whole and matching: ok with the key, the coverage and the age', async (t) => {
    const { db, cpAt } = await setup(t);
    const r = ledgerSigningCheck(config(), db, cpAt() + 90_000);
    assert.equal(r.status, 'ok');
    assert.match(r.detail, /^key [0-9a-f]{16} \(.*ck\.db\.ledger-key, 0600\); the last checkpoint \(seq 1, 90 s ago\) covers records 1-3, is signed by this key and matches the ledger$/);
    append(db, 2);
    const soon = ledgerSigningCheck(config(), db, cpAt() + INTERVAL_MS);
    assert.equal(soon.status, 'ok');
    assert.match(soon.detail, /; 2 record\(s\) after it unsigned$/);
    // Records waiting for longer than two intervals: nothing is signing them.
    const late = ledgerSigningCheck(config(), db, cpAt() + 3 * INTERVAL_MS);
    assert.equal(late.status, 'warn');
    assert.match(late.detail, /15 min ago\) .*; 2 record\(s\) after it unsigned; is serve running\? \(callkeeper ledger checkpoint signs now\)$/);
    assert.ok(!/\+1512/.test(late.detail), 'no phone number in the detail');
  });

  test('no key yet warns; signing off warns; a loose key fails with the fix', async (t) => {
    const { db } = await setup(t, { keygen: false });
    assert.deepEqual(ledgerSigningCheck(config(), db, Date.now()), {
      status: 'warn',
      detail: `no signing key at ${db}.ledger-key yet: serve creates it at start (or run callkeeper ledger keygen)`,
    });
    assert.equal(ledgerSigningCheck(config({ signing: false }), db, Date.now()).status, 'warn');
    assert.equal((await callkeeper(['ledger', 'keygen'], { CALLKEEPER_DB: db })).code, 0);
    chmodSync(`${db}.ledger-key`, 0o640);
    const r = ledgerSigningCheck(config(), db, Date.now());
    assert.deepEqual(r, { status: 'fail', detail: `ledger signing key ${db}.ledger-key has mode 0640: others may read it; want 0600 (chmod 600 ${db}.ledger-key)` });
  });

  test('fails on a removed checkpoint file, an edited checkpoint, a rewritten ledger and removed newest records', async (t) => {
    const a = await setup(t);
    const cps = `${a.db}.checkpoints`;
    const good = readFileSync(cps, 'utf8');
    writeFileSync(cps, good.replace(/"count":3/, '"count":4'));
    assert.match(ledgerSigningCheck(config(), a.db, Date.now()).detail, /the last checkpoint \(seq 1\) has a bad signature: it was edited or forged$/);
    rmSync(cps);
    const removed = ledgerSigningCheck(config(), a.db, Date.now());
    assert.deepEqual([removed.status, /but no checkpoint in .*: the file was removed or emptied/.test(removed.detail)], ['fail', true]);
    writeFileSync(cps, good);
    assert.equal(ledgerSigningCheck(config(), a.db, Date.now()).status, 'ok');
    rewriteRecord(a.db, 2, { event: 'declined' });
    assert.deepEqual(ledgerSigningCheck(config(), a.db, Date.now()), {
      status: 'fail',
      detail: 'record 3 does not match checkpoint 1: the ledger was rewritten (consent verify names the records)',
    });

    const b = await setup(t);
    removeNewest(b.db, 1);
    const cut = ledgerSigningCheck(config(), b.db, Date.now());
    assert.equal(cut.status, 'fail');
    assert.match(cut.detail, /^the ledger ends at record 2 but checkpoint 1 signed records up to 3: the newest records were removed/);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { forgeAppend, removeNewest, rewriteRecord } from '../store/ledger-attacks.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

/**
 * The tampering attacks (src/store/README.md) against `consent verify`. Each leaves the hash chain internally valid, which
 * is all verify checked before signed checkpoints: `chainOnly` (that same walk) passes in every test,
 * and only the checkpoints catch the attack.
 */
function append(path: string, n: number, from: number): void {
  const db = openDatabase(path);
  const store = new SqliteConsentStore(db);
  for (let i = 0; i < n; i++) store.append(consentEvent({ consumer: `+151255501${String(from + i).padStart(2, '0')}`, transcript: `answer ${from + i}` }));
  db.close();
}

function chainOnly(path: string): boolean {
  const db = openDatabase(path);
  try {
    return new SqliteConsentStore(db).verify().ok;
  } finally {
    db.close();
  }
}

/** Records 1-3 signed by keygen (checkpoint 1), 4-6 by `ledger checkpoint` (checkpoint 2), 7-8 unsigned. */
async function signedLedger(t: { after(fn: () => void): void }): Promise<{ dir: string; db: string; env: NodeJS.ProcessEnv; cps: string }> {
  const { dir, cleanup } = tempDir('callkeeper-ledger-sign-');
  t.after(cleanup);
  const db = join(dir, 'ck.db');
  const h = openDatabase(db);
  migrate(h);
  new SqliteBusinessDirectory(h).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  h.close();
  const env = { CALLKEEPER_DB: db };
  append(db, 3, 1);
  const keygen = await callkeeper(['ledger', 'keygen'], env);
  assert.equal(keygen.code, 0, keygen.stderr);
  assert.match(keygen.stdout, /^created ed25519 key [0-9a-f]{16}: private .*ck\.db\.ledger-key \(0600\), public .*ck\.db\.ledger-key\.pub\ncheckpoint 1: records 1-3 /);
  append(db, 3, 4);
  const cp = await callkeeper(['ledger', 'checkpoint'], env);
  assert.equal(cp.code, 0, cp.stderr);
  assert.match(cp.stdout, /^checkpoint 2: records 1-6 \(head [0-9a-f]{64}\) signed into /);
  append(db, 2, 7);
  return { dir, db, env, cps: `${db}.checkpoints` };
}

async function verify(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return callkeeper(['consent', 'verify', ...args], env);
}

describe('consent verify against signed checkpoints', () => {
  test('an intact signed ledger: ok, what the checkpoints cover, and the records after the last one reported as unsigned', async (t) => {
    const { env } = await signedLedger(t);
    const r = await verify(env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'ok 8 records');
    assert.match(lines[2]!, /^signed: 2 checkpoints by key [0-9a-f]{16}; the last \(seq 2, \S+Z\) covers records 1-6$/);
    assert.equal(lines[3], 'unsigned: records 7-8 come after the last checkpoint and can be neither proven nor disproven yet');
    const json = JSON.parse((await verify(env, '--json')).stdout);
    assert.deepEqual([json.ok, json.count, json.signed.state, json.signed.unsigned], [true, 8, 'ok', { from: 7, to: 8 }]);
  });

  test('an edited record with every later hash recomputed: exit 1, naming the records between the last agreeing checkpoint and the first disagreeing one', async (t) => {
    const { db, env } = await signedLedger(t);
    rewriteRecord(db, 5, { event: 'declined', transcript: 'no' });
    assert.equal(chainOnly(db), true, 'the chain alone still verifies');
    const r = await verify(env);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^callkeeper: ledger tampered: first bad record 4 \(checkpoint-mismatch\): record 6 does not match checkpoint 2 \(\S+\): the chain was rewritten; the first changed record is among records 4-6 \(records 1-3 still match the checkpoints\)\n$/,
    );
    assert.equal(r.stdout, '');
  });

  test('an edit of the very first records is caught by the first checkpoint', async (t) => {
    const { db, env } = await signedLedger(t);
    rewriteRecord(db, 1, { consumer: '+15125550999' });
    assert.equal(chainOnly(db), true);
    const r = await verify(env);
    assert.match(r.stderr, /first bad record 1 \(checkpoint-mismatch\): record 3 does not match checkpoint 1 .*among records 1-3\n$/);
  });

  test('a signed record replaced by a forged one with a valid hash: exit 1', async (t) => {
    const { db, env } = await signedLedger(t);
    removeNewest(db, 3);
    forgeAppend(db, { event: 'granted', transcript: 'yes please' });
    assert.equal(chainOnly(db), true);
    const r = await verify(env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /first bad record 4 \(checkpoint-mismatch\): record 6 does not match checkpoint 2/);
  });

  test('a forged record appended after the last checkpoint is reported as unsigned: it can be neither proven nor disproven', async (t) => {
    const { db, env } = await signedLedger(t);
    const id = forgeAppend(db, { event: 'granted', transcript: 'yes' });
    assert.equal(id, 9);
    assert.equal(chainOnly(db), true);
    const r = await verify(env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nunsigned: records 7-9 come after the last checkpoint and can be neither proven nor disproven yet\n$/);
  });

  test('the newest records removed back past the last checkpoint: exit 1, naming where the ledger now ends', async (t) => {
    const { db, env } = await signedLedger(t);
    removeNewest(db, 4);
    assert.equal(chainOnly(db), true);
    const r = await verify(env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^callkeeper: ledger tampered: first bad record 5 \(truncated\): the ledger ends at record 4 but checkpoint 2 \(\S+\) signed records up to 6: the newest records were removed\n$/);
  });

  test('a checkpoint line edited (its head replaced by the rewritten chain\'s): bad signature', async (t) => {
    const { db, env, cps } = await signedLedger(t);
    rewriteRecord(db, 5, { event: 'declined' });
    const h6 = (() => {
      const h = openDatabase(db);
      try {
        return h.prepare('SELECT hash FROM consent_ledger WHERE id = 6').pluck().get() as string;
      } finally {
        h.close();
      }
    })();
    const lines = readFileSync(cps, 'utf8').split('\n');
    assert.ok(!lines[1]!.includes(h6));
    lines[1] = lines[1]!.replace(/"head":"[0-9a-f]{64}"/, `"head":"${h6}"`);
    writeFileSync(cps, lines.join('\n'));
    const r = await verify(env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^callkeeper: checkpoint file tampered: .*ck\.db\.checkpoints: line 2 \(seq 2\) has a bad signature: it was edited or forged\n$/);
  });

  test('a checkpoint line removed from the middle: the file no longer numbers on', async (t) => {
    const { db, env, cps } = await signedLedger(t);
    const cp3 = await callkeeper(['ledger', 'checkpoint'], env);
    assert.equal(cp3.code, 0, cp3.stderr);
    const lines = readFileSync(cps, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3);
    writeFileSync(cps, `${lines[0]}\n${lines[2]}\n`);
    assert.equal(chainOnly(db), true);
    const r = await verify(env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /checkpoint file tampered: .*line 2 is seq 3 but follows seq 1: checkpoints were removed\n$/);
  });

  test('the checkpoint file removed while the key stays: exit 1 rather than an unsigned ok', async (t) => {
    const { env, cps } = await signedLedger(t);
    rmSync(cps);
    const r = await verify(env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^callkeeper: ledger unverifiable: there is a signing key but no checkpoint in .*ck\.db\.checkpoints: the file was removed or emptied\n$/);
  });

  test('copies kept off the machine catch what a local rewrite of everything (ledger, key, checkpoints) hides', async (t) => {
    const { dir, db, env, cps } = await signedLedger(t);
    const offPub = join(dir, 'offsite.pub');
    const offCps = join(dir, 'offsite.checkpoints');
    copyFileSync(`${db}.ledger-key.pub`, offPub);
    copyFileSync(cps, offCps);
    // The attacker rewrites record 2, then makes a new key and re-signs the rewritten ledger.
    rewriteRecord(db, 2, { event: 'declined', transcript: 'no' });
    for (const f of [`${db}.ledger-key`, `${db}.ledger-key.pub`, cps]) rmSync(f);
    assert.equal((await callkeeper(['ledger', 'keygen'], env)).code, 0);
    assert.equal((await verify(env)).code, 0, 'locally, all is consistent: this is why copies go elsewhere');

    const byKey = await verify(env, '--public-key', offPub);
    assert.equal(byKey.code, 1);
    assert.match(byKey.stderr, /checkpoint file tampered: .*line 1 \(seq 1\) is signed by key [0-9a-f]{16}, not by this public key \([0-9a-f]{16}\)\n$/);
    const byFile = await verify(env, '--public-key', offPub, '--checkpoints', offCps);
    assert.equal(byFile.code, 1);
    assert.match(byFile.stderr, /first bad record 1 \(checkpoint-mismatch\): record 3 does not match checkpoint 1/);
  });

  test('an off-machine copy of the checkpoints catches records removed together with the local file\'s tail', async (t) => {
    const { dir, db, env, cps } = await signedLedger(t);
    const offCps = join(dir, 'offsite.checkpoints');
    copyFileSync(cps, offCps);
    removeNewest(db, 5);
    writeFileSync(cps, `${readFileSync(cps, 'utf8').split('\n')[0]}\n`);
    assert.equal((await verify(env)).code, 0, 'the local file alone cannot tell');
    const r = await verify(env, '--checkpoints', offCps);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\(truncated\): the ledger ends at record 3 but checkpoint 2/);
  });

  test('keygen refuses while a checkpoint file exists, and verify refuses a missing --checkpoints file', async (t) => {
    const { dir, env } = await signedLedger(t);
    const again = await callkeeper(['ledger', 'keygen'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^callkeeper: a checkpoint file exists at .*ck\.db\.checkpoints, signed by key [0-9a-f]{16}: move it aside \(keep it: it is evidence\) before making a new key\n$/);
    const missing = await verify(env, '--checkpoints', join(dir, 'nope'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^callkeeper: no checkpoint file at .*nope\n$/);
  });

  test('ledger commands: --help with an example; checkpoint without a key is a one-line error', async (t) => {
    for (const sub of ['keygen', 'checkpoint']) {
      const r = await callkeeper(['ledger', sub, '--help']);
      assert.equal(r.code, 0, sub);
      assert.match(r.stdout, /Example:\n  callkeeper /, sub);
    }
    const { dir, cleanup } = tempDir('callkeeper-ledger-nokey-');
    t.after(cleanup);
    const db = join(dir, 'ck.db');
    const h = openDatabase(db);
    migrate(h);
    h.close();
    const r = await callkeeper(['ledger', 'checkpoint'], { CALLKEEPER_DB: db });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `callkeeper: no ledger signing key at ${db}.ledger-key: ENOENT\n`);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { takeLedgerCheckpoint, type TakeCheckpointDeps } from '../../../src/app/consent/take-ledger-checkpoint.ts';
import { checkCheckpointLog, signingKeyOf } from '../../../src/domain/ledger/ledger-checkpoint.ts';
import type { LedgerChainReader } from '../../../src/domain/ports/ledger-chain-reader.ts';
import { FsCheckpointLog } from '../../../src/store/fs-checkpoint-log.ts';
import { SqliteConsentStore } from '../../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../../src/store/sqlite-database.ts';
import { SqliteLedgerChainReader } from '../../../src/store/sqlite-ledger-chain-reader.ts';
import { rewriteRecord } from '../../store/ledger-attacks.ts';
import { consentEvent, tempDir } from '../../store/store-test-helpers.ts';

/**
 * takeLedgerCheckpoint walks the new records before it takes the write lock. These tests make something
 * happen in that gap (the reader's `exclusive` runs `meanwhile` first, as another process would) and
 * check that what gets signed is the ledger as it is under the lock.
 */
function setup(t: { after(fn: () => void): void }) {
  const { dir, cleanup } = tempDir('callkeeper-take-cp-');
  const path = join(dir, 'ck.db');
  const db = openDatabase(path);
  migrate(db);
  t.after(() => {
    db.close();
    cleanup();
  });
  const store = new SqliteConsentStore(db);
  const key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
  const log = new FsCheckpointLog(`${path}.checkpoints`);
  const real = new SqliteLedgerChainReader(db);
  const deps = (meanwhile?: () => void): TakeCheckpointDeps => {
    const chain: LedgerChainReader = {
      lastId: () => real.lastId(),
      hashAt: (id) => real.hashAt(id),
      recordsAfter: (id) => real.recordsAfter(id),
      exclusive: (fn) => {
        meanwhile?.();
        return real.exclusive(fn);
      },
    };
    return { chain, log, key, now: () => Date.UTC(2026, 4, 26), mayStartFile: true };
  };
  const verified = () => {
    const c = checkCheckpointLog(log.lines(), key.publicKey);
    assert.ok(c.ok, JSON.stringify(c));
    return c.checkpoints;
  };
  return { path, store, deps, verified };
}

describe('takeLedgerCheckpoint with something happening between its walk and its lock', () => {
  test('records appended meanwhile are walked under the lock and signed too', (t) => {
    const s = setup(t);
    for (let i = 0; i < 3; i++) s.store.append(consentEvent());
    const out = takeLedgerCheckpoint(s.deps(() => s.store.append(consentEvent())), 'manual');
    assert.equal(out.kind, 'signed');
    assert.deepEqual(s.verified().map((c) => [c.id, c.count, c.head]), [[4, 4, s.store.record(4)!.hash]]);
  });

  test('a checkpoint written meanwhile by another process: this one follows it in the file', (t) => {
    const s = setup(t);
    for (let i = 0; i < 3; i++) s.store.append(consentEvent());
    const out = takeLedgerCheckpoint(
      s.deps(() => {
        s.store.append(consentEvent());
        assert.equal(takeLedgerCheckpoint(s.deps(), 'manual').kind, 'signed');
        s.store.append(consentEvent());
      }),
      'manual',
    );
    assert.equal(out.kind, 'signed');
    assert.deepEqual(s.verified().map((c) => [c.seq, c.id]), [[1, 4], [2, 5]]);
  });

  test('records rewritten meanwhile after the last checkpoint: the head signed is the one in the ledger, not the one walked before', (t) => {
    const s = setup(t);
    for (let i = 0; i < 3; i++) s.store.append(consentEvent());
    assert.equal(takeLedgerCheckpoint(s.deps(), 'manual').kind, 'signed');
    for (let i = 0; i < 2; i++) s.store.append(consentEvent());
    const out = takeLedgerCheckpoint(s.deps(() => rewriteRecord(s.path, 5, { event: 'declined' })), 'manual');
    assert.equal(out.kind, 'signed');
    const last = s.verified().at(-1)!;
    assert.deepEqual([last.id, last.head], [5, s.store.record(5)!.hash]);
    assert.equal(s.store.record(5)!.event, 'declined');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verifyLedger } from '../../../src/app/consent/verify-ledger.ts';
import { openLedgerSigning } from '../../../src/compose/ledger-signing.ts';
import { configSchema } from '../../../src/config/config-schema.ts';
import { isAppError } from '../../../src/domain/errors.ts';
import { parseCheckpointLine, type LedgerCheckpoint } from '../../../src/domain/ledger/ledger-checkpoint.ts';
import { GENESIS_HASH } from '../../../src/domain/ledger/ledger-record.ts';
import { loadPublicKey } from '../../../src/store/fs-ledger-key.ts';
import { SqliteConsentStore } from '../../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase, type SqliteDb } from '../../../src/store/sqlite-database.ts';
import { CapturingLogger } from '../../fakes/capturing-logger.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { rewriteRecord } from '../../store/ledger-attacks.ts';
import { consentEvent, tempDir } from '../../store/store-test-helpers.ts';

const EVERY = 3;
const INTERVAL_MS = 60_000;

/** The service's signing as src/main.ts builds it, on a real database and files, with a manual clock. */
function service(t: { after(fn: () => void): void }, ledger: Record<string, unknown> = {}) {
  const { dir, cleanup } = tempDir('callkeeper-signing-');
  const path = join(dir, 'ck.db');
  const db: SqliteDb = openDatabase(path);
  migrate(db);
  t.after(() => {
    if (db.open) db.close();
    cleanup();
  });
  const config = configSchema.parse({ database: { path }, ledger: { checkpointEveryRecords: EVERY, checkpointIntervalMs: INTERVAL_MS, ...ledger } });
  const clock = new ManualClock();
  const logger = new CapturingLogger();
  // As src/main.ts does: open (key, start checkpoint), then start the interval with the other workers.
  const start = () => {
    const signing = openLedgerSigning({ config, db, clock, logger });
    signing.start();
    return signing;
  };
  const open = () => openLedgerSigning({ config, db, clock, logger });
  const checkpoints = (): LedgerCheckpoint[] => {
    let text = '';
    try {
      text = readFileSync(`${path}.checkpoints`, 'utf8');
    } catch {
      return [];
    }
    return text.trim().split('\n').filter(Boolean).map((l) => parseCheckpointLine(l) as LedgerCheckpoint);
  };
  return { path, db, clock, logger, start, open, checkpoints, raw: new SqliteConsentStore(db, clock) };
}

/** Lets the checkpointer's deferred record-count check run (it waits for the current synchronous work). */
const settle = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

describe('serve signs the ledger head', () => {
  test('at start: creates the key (0600) on first use and signs the head, the empty ledger included; no timer until started', (t) => {
    const s = service(t);
    const signing = s.open();
    assert.equal(s.clock.pending(), 0, 'a start that fails after opening leaves no timer to keep the process up');
    signing.start();
    assert.equal(s.clock.pending(), 1);
    assert.equal(statSync(`${s.path}.ledger-key`).mode & 0o777, 0o600);
    assert.ok(statSync(`${s.path}.ledger-key.pub`).isFile());
    assert.deepEqual(s.checkpoints().map((c) => [c.seq, c.id, c.head, c.reason]), [[1, 0, GENESIS_HASH, 'start']]);
    assert.ok(s.logger.entries.some((e) => e.level === 'warn' && e.msg.startsWith('ledger signing key created')));
  });

  test(`every ${EVERY} records: two appends sign nothing, the third signs records 1-3`, async (t) => {
    const s = service(t);
    const store = s.start().watch(s.raw);
    store.append(consentEvent({ consumer: '+15125550101' }));
    store.append(consentEvent({ consumer: '+15125550102' }));
    await settle();
    assert.equal(s.checkpoints().length, 1, 'no checkpoint before the third record');
    const third = store.append(consentEvent({ consumer: '+15125550103' }));
    await settle();
    const last = s.checkpoints().at(-1)!;
    assert.deepEqual([last.seq, last.id, last.count, last.head, last.reason], [2, 3, 3, third.hash, 'records']);
    const signed = s.logger.entries.find((e) => e.msg === 'ledger checkpoint signed' && e.fields.reason === 'records');
    assert.ok(signed, 'the checkpoint is logged');
    assert.equal(signed.fields.checkpoint, readFileSync(`${s.path}.checkpoints`, 'utf8').trim().split('\n')[1]);
  });

  test(`every ${INTERVAL_MS} ms while records came, including records another process appended; nothing when none came`, async (t) => {
    const s = service(t);
    s.start().watch(s.raw);
    s.clock.advance(INTERVAL_MS);
    assert.equal(s.checkpoints().length, 1, 'no new records: nothing written');
    // The CLI appends through its own store, which the service's checkpointer never hears about.
    const e = s.raw.append(consentEvent());
    await settle();
    assert.equal(s.checkpoints().length, 1);
    s.clock.advance(INTERVAL_MS - 1);
    assert.equal(s.checkpoints().length, 1);
    s.clock.advance(1);
    assert.deepEqual(s.checkpoints().map((c) => [c.id, c.head, c.reason]).at(-1), [1, e.hash, 'interval']);
    s.clock.advance(INTERVAL_MS * 3);
    assert.equal(s.checkpoints().length, 2);
    assert.equal(s.clock.pending(), 1, 'one interval timer armed');
  });

  test('at shutdown: signs what came since, and leaves no timer behind', async (t) => {
    const s = service(t);
    const signing = s.start();
    const store = signing.watch(s.raw);
    const e = store.append(consentEvent());
    await settle();
    signing.stop();
    assert.deepEqual(s.checkpoints().map((c) => [c.seq, c.id, c.head, c.reason]).at(-1), [2, 1, e.hash, 'shutdown']);
    assert.equal(s.clock.pending(), 0);
    signing.stop();
    assert.equal(s.checkpoints().length, 2, 'a second stop writes nothing');
    // What the service signed verifies.
    const v = verifyLedger(s.raw, { kind: 'checkpoints', lines: readFileSync(`${s.path}.checkpoints`, 'utf8').trim().split('\n'), publicKey: loadPublicKey(`${s.path}.ledger-key.pub`), source: 'x' });
    assert.equal(v.ok, true, v.lines.join('\n'));
  });

  test('an append inside a transaction is signed only once committed; a rolled-back one never', async (t) => {
    const s = service(t, { checkpointEveryRecords: 1 });
    const store = s.start().watch(s.raw);
    assert.throws(() =>
      s.db.transaction(() => {
        store.append(consentEvent());
        throw new Error('rolled back');
      })(),
    );
    await settle();
    assert.equal(s.checkpoints().length, 1, 'the rolled-back record was never signed');
    const committed = s.db.transaction(() => store.append(consentEvent()))();
    await settle();
    assert.deepEqual(s.checkpoints().map((c) => [c.id, c.head]).at(-1), [committed.id, committed.hash]);
    assert.equal(s.logger.entries.filter((e) => e.level === 'error').length, 0);
  });

  test('refuses to sign on top of a rewritten ledger, and says so each interval', async (t) => {
    const s = service(t);
    const store = s.start().watch(s.raw);
    for (let i = 1; i <= 3; i++) store.append(consentEvent({ consumer: `+1512555010${i}` }));
    await settle();
    assert.equal(s.checkpoints().length, 2);
    rewriteRecord(s.path, 2, { event: 'declined', transcript: 'no' });
    store.append(consentEvent({ consumer: '+15125550109' }));
    s.clock.advance(INTERVAL_MS);
    s.clock.advance(INTERVAL_MS);
    assert.equal(s.checkpoints().length, 2, 'nothing signed over the rewrite');
    const refusals = s.logger.entries.filter((e) => e.level === 'error' && e.msg.startsWith('ledger checkpoint refused'));
    assert.equal(refusals.length, 2);
    assert.match(String(refusals[0]!.fields.detail), /record 3 no longer matches checkpoint 2: the ledger was rewritten/);
  });

  test('a checkpoint file that vanishes is not restarted from whatever the ledger now holds, neither while running nor at the next start', async (t) => {
    const s = service(t, { checkpointEveryRecords: 1 });
    const signing = s.start();
    const store = signing.watch(s.raw);
    store.append(consentEvent());
    await settle();
    assert.equal(s.checkpoints().length, 2);
    rmSync(`${s.path}.checkpoints`);
    store.append(consentEvent());
    await settle();
    s.clock.advance(INTERVAL_MS);
    signing.stop();
    s.start().stop();
    assert.equal(existsSync(`${s.path}.checkpoints`), false, 'no new file was started');
    const refusals = s.logger.entries.filter((e) => e.msg.startsWith('ledger checkpoint refused'));
    assert.deepEqual(refusals.map((e) => e.fields.reason), ['records', 'interval', 'shutdown', 'start', 'shutdown']);
    assert.match(String(refusals[0]!.fields.detail), /^the checkpoint file is missing or empty although the signing key is not new: it was removed/);
  });

  test('a key file others may read stops the start with a clear error; signing off or an in-memory database writes nothing', (t) => {
    const s = service(t);
    s.start();
    chmodSync(`${s.path}.ledger-key`, 0o644);
    assert.throws(() => s.start(), (e: unknown) => isAppError(e, 'STORE.LEDGER_KEY_INSECURE'));
    const off = service(t, { signing: false });
    off.start().stop();
    assert.deepEqual(off.checkpoints(), []);
    const memory = openDatabase(':memory:');
    t.after(() => memory.close());
    const inMemory = openLedgerSigning({ config: configSchema.parse({ database: { path: ':memory:' } }), db: memory, clock: new ManualClock(), logger: new CapturingLogger() });
    assert.equal(inMemory.watch(s.raw), s.raw, 'nothing to sign for an in-memory database');
  });
});

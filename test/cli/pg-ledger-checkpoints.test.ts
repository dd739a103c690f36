/**
 * Signed ledger checkpoints on PostgreSQL (src/store/postgres/README.md, "The ledger"): each node signs
 * the one chain with its own key into its own file, as `serve` wires it (openPgLedgerSigning), and
 * `callkeeper consent verify` on a postgres config checks the chain against them. On a throwaway cluster
 * (test/support/pg-cluster.ts).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { takeLedgerCheckpointAsync } from '../../src/app/consent/take-ledger-checkpoint.ts';
import { openPgLedgerSigning, pgLedgerSigningPaths, type LedgerSigning } from '../../src/compose/ledger-signing.ts';
import { configSchema, type Config } from '../../src/config/config-schema.ts';
import { parseCheckpointLine, signingKeyOf, type LedgerCheckpoint } from '../../src/domain/ledger/ledger-checkpoint.ts';
import { ledgerHash, type LedgerRecord } from '../../src/domain/ledger/ledger-record.ts';
import { FsCheckpointLog } from '../../src/store/fs-checkpoint-log.ts';
import { loadSigningKey } from '../../src/store/fs-ledger-key.ts';
import { LEDGER_LOCK, LOCK_CLASS, PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { PgLedgerChainReader } from '../../src/store/postgres/pg-ledger-chain-reader.ts';
import { CapturingLogger } from '../fakes/capturing-logger.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import type { PgTestDb } from '../store/postgres/pg-test-db.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { pgUrlOf, type PgConnection } from '../support/pg-cluster.ts';
import { waitFor, waitForAsync } from '../support/wait-for.ts';
import { callkeeper } from './cli-test-harness.ts';
import { usePgCliCluster } from './pg-cli-fixture.ts';

const pgc = usePgCliCluster();



interface Node {
  readonly config: Config;
  readonly logger: CapturingLogger;
  readonly clock: ManualClock;
  /** `serve`'s signing on this node, as src/main.ts opens it (key created, start checkpoint signed). */
  openSigning(pool: pg.Pool): Promise<LedgerSigning>;
  checkpoints(): LedgerCheckpoint[];
  readonly checkpointsFile: string;
  readonly publicKeyFile: string;
  /** `callkeeper --config <this node's config> ...`. */
  run(args: string[]): ReturnType<typeof callkeeper>;
}

/** A node's config (database.kind postgres, `nodeId`, its data directory `dir`) written as a config file. */
function node(db: PgTestDb, dir: string, nodeId: string, ledger: Record<string, unknown> = {}): Node {
  mkdirSync(dir, { recursive: true });
  const raw = { database: { kind: 'postgres', url: pgUrlOf(db.conn), nodeId, path: join(dir, 'callkeeper.db') }, ledger: { checkpointIntervalMs: 60_000, ...ledger } };
  const file = join(dir, `${nodeId}.yaml`);
  // JSON is YAML.
  writeFileSync(file, JSON.stringify(raw));
  const config = configSchema.parse(raw);
  const paths = pgLedgerSigningPaths(config);
  const logger = new CapturingLogger();
  const clock = new ManualClock();
  return {
    config,
    logger,
    clock,
    openSigning: (pool) => openPgLedgerSigning({ config, pool, nodeId, clock, logger }),
    checkpoints: () => new FsCheckpointLog(paths.checkpointsFile).lines().map((l) => parseCheckpointLine(l) as LedgerCheckpoint),
    checkpointsFile: paths.checkpointsFile,
    publicKeyFile: paths.publicKeyFile,
    run: (args) => callkeeper(['--config', file, ...args]),
  };
}

const SIGNED_LINE = /^signed: (\d+) checkpoints by key ([0-9a-f]{16}); the last \(seq (\d+), [0-9TZ:.-]+\) covers records 1-(\d+)$/;

/**
 * Edits record `id` past the disabled triggers (the test's user is the cluster's superuser), then
 * recomputes its hash and every later one, so the chain links again and a walk of it alone passes.
 */
async function rewriteRecord(pool: pg.Pool, id: number, edit: Partial<Pick<LedgerRecord, 'event' | 'transcript'>>): Promise<void> {
  const records = [];
  for await (const r of new PgConsentStore(pool).records()) if (r.id >= id) records.push(r);
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('ALTER TABLE consent_ledger DISABLE TRIGGER consent_ledger_no_update');
    let prev = (await c.query<{ hash: string }>('SELECT hash FROM consent_ledger WHERE id = $1', [id - 1])).rows[0]?.hash;
    for (const r of records) {
      const changed: LedgerRecord = { ...r, ...(r.id === id ? edit : {}), prev_hash: prev ?? r.prev_hash };
      const hash = ledgerHash(changed);
      await c.query('UPDATE consent_ledger SET event = $1, transcript = $2, prev_hash = $3, hash = $4 WHERE id = $5', [changed.event, changed.transcript, changed.prev_hash, hash, r.id]);
      prev = hash;
    }
    await c.query('ALTER TABLE consent_ledger ENABLE TRIGGER consent_ledger_no_update');
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

describe('signed ledger checkpoints on PostgreSQL', () => {
  test('checkpoints a node takes while records are appended verify with consent verify, with its own files and with copies kept elsewhere', async (t) => {
    const db = await pgc.freshDb(t);
    const { dir, cleanup } = tempDir('callkeeper-pg-cp-');
    t.after(cleanup);
    const a = node(db, dir, 'node-a', { checkpointEveryRecords: 4 });
    const signing = await a.openSigning(db.pool(4));
    assert.deepEqual(a.checkpoints().map((c) => [c.seq, c.id, c.reason]), [[1, 0, 'start']], 'the start checkpoint signs the empty ledger');
    const watched = signing.watchAsync(new PgConsentStore(db.pool(4)));
    // Another node or the CLI appends too: its records are not reported to this node, but they are in the chain it signs.
    const other = new PgConsentStore(db.pool(2));
    for (let i = 0; i < 10; i++) {
      await Promise.all([watched.append(consentEvent({ transcript: `yes ${i}` })), watched.append(consentEvent({ transcript: `sure ${i}` })), other.append(consentEvent({ transcript: `ok ${i}` }))]);
    }
    await waitFor(() => a.checkpoints().some((c) => c.reason === 'records'), { timeoutMs: 20_000, what: 'a checkpoint signed every 4 records while they were appended' });
    await signing.stop();
    const cps = a.checkpoints();
    // The last is the shutdown's, or a `records` one that already covered all 30 (the shutdown then had nothing new).
    assert.deepEqual([cps.at(-1)!.id, cps.at(-1)!.count], [30, 30]);
    assert.ok(cps.some((c) => c.reason === 'records' && c.id > 0 && c.id < 30), JSON.stringify(cps.map((c) => [c.id, c.reason])));
    assert.equal(a.logger.entries.filter((e) => e.level === 'error').length, 0, JSON.stringify(a.logger.entries.filter((e) => e.level === 'error')));

    const head = (await new PgLedgerChainReader(db.pool(1)).hashAt(30))!;
    const local = await a.run(['consent', 'verify']);
    assert.equal(local.code, 0, local.stderr);
    const [okLine, headLine, signedLine, ...rest] = local.stdout.trimEnd().split('\n');
    assert.deepEqual([okLine, headLine, rest], ['ok 30 records', `head ${head}`, []]);
    const m = SIGNED_LINE.exec(signedLine ?? '');
    assert.ok(m, signedLine);
    assert.deepEqual([Number(m[1]), m[2], Number(m[3]), Number(m[4])], [cps.length, loadSigningKey(pgLedgerSigningPaths(a.config).keyFile).id, cps.length, 30]);

    // Copies kept off the machine, named on the command line: the same report.
    const offsite = tempDir('callkeeper-pg-cp-offsite-');
    t.after(offsite.cleanup);
    copyFileSync(a.checkpointsFile, join(offsite.dir, 'copy.checkpoints'));
    copyFileSync(a.publicKeyFile, join(offsite.dir, 'copy.pub'));
    const copy = await a.run(['consent', 'verify', '--checkpoints', join(offsite.dir, 'copy.checkpoints'), '--public-key', join(offsite.dir, 'copy.pub')]);
    assert.equal(copy.code, 0, copy.stderr);
    assert.equal(copy.stdout, local.stdout);

    // Records appended after the last checkpoint are reported as unsigned, as on SQLite.
    await other.append(consentEvent());
    const later = await a.run(['consent', 'verify']);
    assert.equal(later.code, 0, later.stderr);
    assert.equal(later.stdout.trimEnd().split('\n').at(-1), 'unsigned: record 31 comes after the last checkpoint and can be neither proven nor disproven yet');
  });

  test('a ledger edited after a checkpoint, with the chain re-hashed after the edit, is caught by the checkpoints (the chain alone passes)', async (t) => {
    const db = await pgc.freshDb(t);
    const { dir, cleanup } = tempDir('callkeeper-pg-cp-');
    t.after(cleanup);
    const a = node(db, dir, 'node-a', { checkpointEveryRecords: 1_000 });
    const pool = db.pool(4);
    const signing = await a.openSigning(pool);
    const store = signing.watchAsync(new PgConsentStore(pool));
    for (let i = 1; i <= 2; i++) await store.append(consentEvent({ transcript: `yes ${i}` }));
    await signing.stop();
    const again = await a.openSigning(pool);
    const store2 = again.watchAsync(new PgConsentStore(pool));
    for (let i = 3; i <= 6; i++) await store2.append(consentEvent({ transcript: `yes ${i}` }));
    await again.stop();
    assert.deepEqual(a.checkpoints().map((c) => [c.seq, c.id]), [[1, 0], [2, 2], [3, 6]], 'checkpoints at records 2 and 6 (the second start had nothing new)');
    assert.equal((await a.run(['consent', 'verify'])).code, 0);

    await rewriteRecord(db.pool(1), 4, { event: 'declined', transcript: 'no' });
    const chain = await new PgConsentStore(db.pool(1)).verify();
    assert.equal(chain.ok, true, 'the re-hashed chain verifies on its own');
    const r = await a.run(['consent', 'verify']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^callkeeper: ledger tampered: first bad record 3 \(checkpoint-mismatch\): record 6 does not match checkpoint 3 \(.+\): the chain was rewritten; the first changed record is among records 3-6 \(records 1-2 still match the checkpoints\)\n$/,
    );
    // Nor does the node sign on top of the rewrite.
    const third = await a.openSigning(pool);
    await third.stop();
    assert.equal(a.checkpoints().length, 3, 'nothing signed over the rewrite');
    const refusals = a.logger.entries.filter((e) => e.level === 'error' && e.msg.startsWith('ledger checkpoint refused'));
    assert.match(String(refusals[0]?.fields.detail), /record 6 no longer matches checkpoint 3: the ledger was rewritten/);
  });

  test('two nodes, each with its own key and checkpoint file, both verify against the one chain', async (t) => {
    const db = await pgc.freshDb(t);
    const { dir, cleanup } = tempDir('callkeeper-pg-cp-');
    t.after(cleanup);
    // One data directory on purpose: the files are named after the node.
    const a = node(db, dir, 'node-a', { checkpointEveryRecords: 3 });
    const b = node(db, dir, 'node-b', { checkpointEveryRecords: 5 });
    const [sa, sb] = [await a.openSigning(db.pool(4)), await b.openSigning(db.pool(4))];
    const [wa, wb] = [sa.watchAsync(new PgConsentStore(db.pool(4))), sb.watchAsync(new PgConsentStore(db.pool(4)))];
    for (let i = 0; i < 12; i++) await Promise.all([wa.append(consentEvent({ transcript: `a ${i}` })), wb.append(consentEvent({ transcript: `b ${i}` }))]);
    await Promise.all([sa.stop(), sb.stop()]);
    assert.notEqual(a.checkpointsFile, b.checkpointsFile);
    const [ka, kb] = [a, b].map((n) => loadSigningKey(pgLedgerSigningPaths(n.config).keyFile).id);
    assert.notEqual(ka, kb, 'a key per node');
    for (const [n, key] of [[a, ka], [b, kb]] as const) {
      assert.equal(n.checkpoints().at(-1)!.id, 24, 'each node signed the whole chain, with the records of the other node');
      const v = await n.run(['consent', 'verify']);
      assert.equal(v.code, 0, v.stderr);
      const lines = v.stdout.trimEnd().split('\n');
      assert.equal(lines[0], 'ok 24 records');
      const m = SIGNED_LINE.exec(lines[2] ?? '');
      assert.ok(m, lines[2]);
      assert.deepEqual([m[2], Number(m[4])], [key, 24]);
    }
    // Node A's checkpoints are not node B's: checked against B's public key they are refused.
    const crossed = await a.run(['consent', 'verify', '--checkpoints', a.checkpointsFile, '--public-key', b.publicKeyFile]);
    assert.equal(crossed.code, 1);
    assert.match(crossed.stderr, /^callkeeper: checkpoint file tampered: .*line 1 \(seq 1\) is signed by key [0-9a-f]{16}, not by this public key/);
  });

  test('every interval while records came, another node\'s included; nothing when none came; no timer left after stop', async (t) => {
    const db = await pgc.freshDb(t);
    const { dir, cleanup } = tempDir('callkeeper-pg-cp-');
    t.after(cleanup);
    const a = node(db, dir, 'node-a', { checkpointIntervalMs: 60_000, checkpointEveryRecords: 1_000 });
    const signing = await a.openSigning(db.pool(2));
    signing.start();
    a.clock.advance(60_000);
    await signing.stop();
    assert.deepEqual(a.checkpoints().map((c) => [c.id, c.reason]), [[0, 'start']], 'no records: nothing written at the interval or at shutdown');
    assert.equal(a.clock.pending(), 0, 'no timer left after stop');

    const again = await a.openSigning(db.pool(2));
    again.start();
    // Appended by another node: this one never hears of it but for the interval.
    const e = await new PgConsentStore(db.pool(1)).append(consentEvent());
    a.clock.advance(60_000);
    await waitFor(() => a.checkpoints().length === 2, { timeoutMs: 20_000, what: 'the interval checkpoint of the record another node appended' });
    assert.deepEqual(a.checkpoints().map((c) => [c.id, c.head, c.reason]).at(-1), [1, e.hash, 'interval']);
    assert.equal(a.clock.pending(), 1, 'one interval timer armed');
    await again.stop();
    assert.equal(a.checkpoints().length, 2, 'nothing new at shutdown');
  });

  test('ledger keygen and ledger checkpoint sign the PostgreSQL ledger into the node files, which serve then signs on from', async (t) => {
    const db = await pgc.freshDb(t);
    const { dir, cleanup } = tempDir('callkeeper-pg-cp-');
    t.after(cleanup);
    const a = node(db, join(dir, 'fresh'), 'node-a');
    const keygen = await a.run(['ledger', 'keygen']);
    assert.equal(keygen.code, 0, keygen.stderr);
    assert.match(keygen.stdout, /^created ed25519 key [0-9a-f]{16}: private .+\/fresh\/node-a\.ledger-key \(0600\), public .+\/fresh\/node-a\.ledger-key\.pub\ncheckpoint 1: the empty ledger /);
    const ledger = new PgConsentStore(db.pool(2));
    for (let i = 0; i < 3; i++) await ledger.append(consentEvent());
    const head = (await ledger.record(3))!.hash;
    const manual = await a.run(['ledger', 'checkpoint']);
    assert.equal(manual.code, 0, manual.stderr);
    assert.equal(manual.stdout.split('\n')[0], `checkpoint 2: records 1-3 (head ${head}) signed into ${a.checkpointsFile}`);
    assert.equal((await a.run(['ledger', 'checkpoint'])).stdout, 'nothing new since checkpoint 2 (record 3 is the newest)\n');
    const signing = await a.openSigning(db.pool(2));
    await signing.watchAsync(ledger).append(consentEvent());
    await signing.stop();
    assert.deepEqual(a.checkpoints().map((c) => [c.seq, c.id, c.reason]), [[1, 0, 'keygen'], [2, 3, 'manual'], [3, 4, 'shutdown']]);
    assert.equal(a.logger.entries.filter((e) => e.level === 'error').length, 0);
    assert.equal((await a.run(['consent', 'verify'])).code, 0);
  });

  test('a checkpoint taken while an append holds the ledger lock waits for it and signs it once committed, never a record that is not', async (t) => {
    const db = await pgc.freshDb(t);
    const { dir, cleanup } = tempDir('callkeeper-pg-cp-');
    t.after(cleanup);
    const pool = db.pool(4);
    const ledger = new PgConsentStore(pool);
    for (let i = 0; i < 3; i++) await ledger.append(consentEvent());
    const held = await pool.connect();
    try {
      await held.query('BEGIN');
      const appended = await ledger.inTransaction(held).append(consentEvent({ transcript: 'held' }));
      assert.equal(appended.id, 4);
      const key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
      const taking = takeLedgerCheckpointAsync({ chain: new PgLedgerChainReader(db.pool(2)), log: new FsCheckpointLog(join(dir, 'x.checkpoints')), key, now: () => 0, mayStartFile: true }, 'manual');
      const watcher = db.pool(1);
      await waitForAsync(
        async () => {
          const r = await watcher.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1::bigint::oid AND objid = $2::bigint::oid", [LOCK_CLASS, LEDGER_LOCK]);
          return r.rows[0]!.n === 1;
        },
        { timeoutMs: 20_000, what: "the checkpoint to wait for the ledger's advisory lock held by the append in progress" },
      );
      await held.query('COMMIT');
      const out = await taking;
      assert.equal(out.kind, 'signed');
      assert.deepEqual(out.kind === 'signed' ? [out.checkpoint.id, out.checkpoint.head] : [], [4, appended.hash], 'the head signed is the append committed meanwhile');
    } finally {
      // Destroyed, not returned: on a failure its transaction is still open (and the pool's end would wait for it).
      held.release(true);
    }
    assert.equal(readFileSync(join(dir, 'x.checkpoints'), 'utf8').trim().split('\n').length, 1);
  });
});

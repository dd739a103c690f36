import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate, type SqliteDb } from '../../src/store/sqlite-database.ts';
import { ConnectionTurns, inTurns } from '../../src/store/sqlite-async-stores.ts';
import { SqliteRetentionStore } from '../../src/store/sqlite-retention-store.ts';
import { FsRecordingRemover } from '../../src/store/fs-recording-remover.ts';
import { purgeRecordings } from '../../src/app/retention/purge-recordings.ts';
import type { Logger } from '../../src/domain/ports/logger.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1, 12);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

let dir: string;
let recDir: string;
let db: SqliteDb;

function addCall(ageDays: number, recording: string | null): number {
  const r = db
    .prepare(
      `INSERT INTO calls (engine, channel_id, did, caller_raw, caller_e164, started_at, ended_at, outcome, recording_path, recording_sha256)
       VALUES ('asterisk', ?, '+15125550100', '5125550123', '+15125550123', ?, ?, 'consent-granted', ?, ?)`,
    )
    .run(`ch-${ageDays}-${Math.random()}`, NOW - ageDays * DAY, NOW - ageDays * DAY + 60_000, recording, recording === null ? null : 'ab'.repeat(32));
  return Number(r.lastInsertRowid);
}

function addLedger(callId: number | null, audio: string | null): void {
  const n = (db.prepare('SELECT count(*) FROM consent_ledger').pluck().get() as number) + 1;
  db.prepare(
    `INSERT INTO consent_ledger (at, business_id, did, consumer, event, method, audio_path, audio_sha256, call_id, source, prev_hash, hash)
     VALUES (?, 1, '+15125550100', '+15125550123', 'granted', 'verbal', ?, ?, ?, 'test', ?, ?)`,
  ).run(NOW - 100 * DAY, audio, audio === null ? null : 'cd'.repeat(32), callId, `prev${n}`, `hash${n}`);
}

function file(name: string): string {
  const p = join(recDir, '2025-02-01', name);
  mkdirSync(join(recDir, '2025-02-01'), { recursive: true });
  writeFileSync(p, 'RIFF....WAVE');
  return p;
}

describe('SqliteRetentionStore + FsRecordingRemover', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-retention-'));
    recDir = join(dir, 'recordings');
    mkdirSync(recDir);
    db = openDatabase(join(dir, 'callkeeper.db'));
    migrate(db);
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('lists expired calls with their message and consent-answer audio, in id order, paged', () => {
    const old1 = addCall(120, file('old1.wav'));
    addLedger(old1, file('old1-answer.wav'));
    addLedger(old1, null);
    const oldNoMsg = addCall(100, null);
    addLedger(oldNoMsg, file('old2-answer.wav'));
    addCall(100, null); // nothing recorded: nothing to purge
    const young = addCall(10, file('young.wav'));
    addLedger(young, file('young-answer.wav'));
    const store = new SqliteRetentionStore(db);
    const cutoff = NOW - 90 * DAY;
    const all = store.listExpired(cutoff, { afterCallId: 0, limit: 100 });
    assert.deepEqual(
      all.map((c) => [c.callId, c.paths.map((p) => p.slice(recDir.length + 12))]),
      [
        [old1, ['old1.wav', 'old1-answer.wav']],
        [oldNoMsg, ['old2-answer.wav']],
      ],
    );
    assert.equal(all[0]!.startedAt, NOW - 120 * DAY);
    assert.deepEqual(
      store.listExpired(cutoff, { afterCallId: 0, limit: 1 }).map((c) => c.callId),
      [old1],
    );
    assert.deepEqual(
      store.listExpired(cutoff, { afterCallId: old1, limit: 1 }).map((c) => c.callId),
      [oldNoMsg],
    );
  });

  test('a purge run deletes the files, stamps the calls, keeps paths and hashes, and leaves the ledger byte-identical', async () => {
    const ledgerBefore = db.prepare('SELECT * FROM consent_ledger ORDER BY id').all();
    const store = new SqliteRetentionStore(db);
    const remover = new FsRecordingRemover([recDir]);
    // The use case takes the async port: the SQLite store in turns, as `callkeeper purge` wires it.
    const asyncStore = inTurns(store, new ConnectionTurns());
    const dry = await purgeRecordings({ store: asyncStore, remover, now: () => NOW, logger: silent }, { retentionDays: 90, dryRun: true });
    assert.equal(dry.counts['would-delete'], 3);
    assert.ok(existsSync(join(recDir, '2025-02-01', 'old1.wav')));
    assert.equal(db.prepare('SELECT count(*) FROM calls WHERE recording_deleted_at IS NOT NULL').pluck().get(), 0);

    const report = await purgeRecordings({ store: asyncStore, remover, now: () => NOW + 5, logger: silent }, { retentionDays: 90, dryRun: false });
    assert.equal(report.counts.deleted, 3);
    assert.equal(report.callsPurged, 2);
    for (const gone of ['old1.wav', 'old1-answer.wav', 'old2-answer.wav']) assert.ok(!existsSync(join(recDir, '2025-02-01', gone)), gone);
    for (const kept of ['young.wav', 'young-answer.wav']) assert.ok(existsSync(join(recDir, '2025-02-01', kept)), kept);
    const stamped = db
      .prepare('SELECT recording_path, recording_sha256, recording_deleted_at FROM calls WHERE recording_deleted_at IS NOT NULL ORDER BY id')
      .all() as { recording_path: string | null; recording_sha256: string | null; recording_deleted_at: number }[];
    assert.equal(stamped.length, 2);
    assert.equal(stamped[0]!.recording_deleted_at, NOW + 5);
    assert.ok(stamped[0]!.recording_path?.endsWith('old1.wav'));
    assert.equal(stamped[0]!.recording_sha256, 'ab'.repeat(32));
    assert.deepEqual(db.prepare('SELECT * FROM consent_ledger ORDER BY id').all(), ledgerBefore);

    // Idempotent: a second run finds nothing, and the first stamp is kept.
    const again = await purgeRecordings({ store: asyncStore, remover, now: () => NOW + 10, logger: silent }, { retentionDays: 90, dryRun: false });
    assert.equal(again.items.length, 0);
    store.markDeleted(Number((db.prepare('SELECT min(id) FROM calls').pluck().get() as number)), NOW + 99);
    assert.equal(db.prepare('SELECT recording_deleted_at FROM calls ORDER BY id LIMIT 1').pluck().get(), NOW + 5);
  });

  test('the remover refuses files outside its roots, even through a symlinked folder, and reports missing files', async () => {
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    const victim = join(outside, 'precious.txt');
    writeFileSync(victim, 'keep me');
    symlinkSync(outside, join(recDir, 'sneaky'));
    const remover = new FsRecordingRemover([recDir]);
    assert.equal(await remover.remove(victim), 'refused');
    assert.equal(await remover.remove(join(recDir, 'sneaky', 'precious.txt')), 'refused');
    assert.equal(await remover.remove(join(recDir, '..', 'outside', 'precious.txt')), 'refused');
    assert.ok(existsSync(victim));
    assert.equal(await remover.remove(join(recDir, 'nope', 'x.wav')), 'missing');
    assert.equal(await remover.remove(join(recDir, 'x.wav')), 'missing');
    const p = join(recDir, '2025-03-01', 'a.wav');
    mkdirSync(join(recDir, '2025-03-01'));
    writeFileSync(p, 'x');
    assert.equal(await remover.inspect(p), 'present');
    assert.equal(await remover.inspect(victim), 'refused');
    assert.equal(await remover.inspect(join(recDir, 'nope.wav')), 'missing');
    assert.equal(await remover.remove(p), 'removed');
    // The emptied day folder goes too; the root stays.
    assert.ok(!existsSync(join(recDir, '2025-03-01')));
    assert.ok(existsSync(recDir));
  });
});

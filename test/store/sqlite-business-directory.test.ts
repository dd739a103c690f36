import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { tempDir } from './store-test-helpers.ts';

function setup(t: { after(fn: () => void): void }) {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(join(dir, 'b.db'));
  migrate(db);
  t.after(() => {
    db.close();
    cleanup();
  });
  return { db, dir: new SqliteBusinessDirectory(db, { now: () => Date.UTC(2026, 4, 26) }) };
}

describe('SqliteBusinessDirectory', () => {
  test('adds, finds by id and DID, lists, updates', (t) => {
    const { dir } = setup(t);
    const a = dir.add({ name: 'Acme Plumbing', dids: ['+15125550100', '+15125550101'], timezone: 'America/Chicago', consentMode: 'verbal' });
    assert.deepEqual(a, {
      id: 1,
      name: 'Acme Plumbing',
      dids: ['+15125550100', '+15125550101'],
      timezone: 'America/Chicago',
      consentMode: 'verbal',
      templates: {},
      greeting: null,
      emergencyInstruction: null,
      createdAt: '2026-05-26T00:00:00.000Z',
    });
    dir.add({ name: 'Bolt Electric', dids: ['+15125550200'], timezone: 'America/Denver', consentMode: 'implied' });
    assert.equal(dir.byDid('+15125550101')?.id, 1);
    assert.equal(dir.byDid('+15125550200')?.name, 'Bolt Electric');
    assert.equal(dir.byDid('+15125550999'), undefined);
    assert.deepEqual(
      dir.list().map((b) => b.id),
      [1, 2],
    );
    const u = dir.update(1, { dids: ['+15125550102'], templates: { received: 'Got it' }, consentMode: 'implied' });
    assert.deepEqual(u.dids, ['+15125550102']);
    assert.equal(u.name, 'Acme Plumbing');
    assert.equal(u.consentMode, 'implied');
    assert.deepEqual(dir.update(1, { templates: { callback: 'We will call' } }).templates, { received: 'Got it', callback: 'We will call' });
    assert.equal(dir.byDid('+15125550100'), undefined);
  });

  test('a DID belongs to one business; a refused add writes nothing', (t) => {
    const { db, dir } = setup(t);
    dir.add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
    assert.throws(
      () => dir.add({ name: 'Other', dids: ['+15125550300', '+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' }),
      (e: Error & { code?: string }) => e.code === 'INPUT.INVALID' && e.message === 'DID 2 already belongs to business 1' && !e.message.includes('+1'),
    );
    assert.equal(db.prepare('SELECT count(*) FROM businesses').pluck().get(), 1);
    assert.equal(dir.byDid('+15125550300'), undefined);
    assert.throws(() => dir.update(7, { name: 'x' }), (e: Error & { code?: string }) => e.code === 'INPUT.NOT_FOUND');
  });
});

describe('SqliteCallLog', () => {
  test('opens, fills and closes a call row', (t) => {
    const { db } = setup(t);
    const log = new SqliteCallLog(db);
    const id = log.open({ engine: 'asterisk', channelId: 'c1', businessId: null, did: '+15125550100', callerRaw: 'anonymous', callerE164: null, startedAt: 1 });
    log.saveMessage(id, { recordingPath: '/r/1.wav', sha256: 'ab', durationMs: 1200 });
    log.saveTranscript(id, { transcript: 'leak', summary: null });
    log.close(id, { outcome: 'message-only', endedAt: 9 });
    assert.deepEqual(db.prepare('SELECT outcome, ended_at, recording_path, recording_ms, transcript FROM calls WHERE id = ?').get(id), {
      outcome: 'message-only',
      ended_at: 9,
      recording_path: '/r/1.wav',
      recording_ms: 1200,
      transcript: 'leak',
    });
  });
});

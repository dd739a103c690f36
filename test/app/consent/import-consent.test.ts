import { describe, test } from 'node:test';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { importConsentNdjson } from '../../../src/app/consent/import-consent.ts';
import type { Business } from '../../../src/domain/business.ts';
import type { ConsentEvent, NewConsentEvent } from '../../../src/domain/consent.ts';
import type { BusinessDirectory } from '../../../src/domain/ports/business-directory.ts';
import type { ConsentLedger } from '../../../src/domain/ports/consent-ledger.ts';
import { isAppError } from '../../../src/domain/errors.ts';
import { SqliteBusinessDirectory } from '../../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../../src/store/sqlite-database.ts';
import { consentEvent, tempDir } from '../../store/store-test-helpers.ts';

const acme: Business = {
  id: 1,
  name: 'Acme',
  dids: ['+15125550100'],
  timezone: 'America/Chicago',
  consentMode: 'verbal',
  templates: {},
  greeting: null,
  emergencyInstruction: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const businesses: BusinessDirectory = { byId: (id) => (id === 1 ? acme : undefined), byDid: () => undefined, list: () => [acme] };

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

/** Records what it was asked to append; only appendAll is used by the import. */
function fakeLedger(): { ledger: ConsentLedger; batches: NewConsentEvent[][] } {
  const batches: NewConsentEvent[][] = [];
  const ledger = {
    appendAll(events: readonly NewConsentEvent[]): ConsentEvent[] {
      batches.push([...events]);
      return events.map((e, i) => ({ ...e, id: i + 1, at: e.at ?? 0, prevHash: '', hash: '' }));
    },
  } as unknown as ConsentLedger;
  return { ledger, batches };
}

test('each line becomes one method-import event with its original time; one batch for the file', () => {
  const { ledger, batches } = fakeLedger();
  const lines = [
    JSON.stringify({ event: 'granted', business_id: 1, consumer: '512 555 0123', at: '2025-11-02T15:04:05.5Z', method: 'web-form', transcript: 'yes' }),
    '',
    JSON.stringify({ event: 'revoked', business_id: 1, consumer: '+15125550123', did: '5125550100', at: 1767225600000, source: 'email' }),
  ];
  const r = importConsentNdjson({ ledger, businesses, now: () => NOW }, lines, 'old.ndjson');
  assert.deepEqual(r, { imported: 2, firstId: 1, lastId: 2 });
  assert.equal(batches.length, 1);
  const [a, b] = batches[0]!;
  assert.equal(a!.method, 'import');
  assert.equal(a!.at, Date.UTC(2025, 10, 2, 15, 4, 5, 500));
  assert.equal(a!.consumer, '+15125550123');
  assert.equal(a!.did, '+15125550100');
  assert.equal(a!.source, 'import:old.ndjson:1 (method=web-form)');
  assert.equal(b!.source, 'import:old.ndjson:3 (source=email)');
  assert.equal(b!.at, 1767225600000);
});

test('a bad line throws with its line number before anything is appended', () => {
  const { ledger, batches } = fakeLedger();
  const good = JSON.stringify({ event: 'granted', business_id: 1, consumer: '+15125550123', at: 0 });
  assert.throws(
    () => importConsentNdjson({ ledger, businesses, now: () => NOW }, [good, good, JSON.stringify({ event: 'granted', business_id: 1, at: 0 })], 'f'),
    (e: Error & { code?: string; details?: { line?: number } }) => e.code === 'INPUT.INVALID' && e.message.startsWith('line 3: consumer') && e.details?.line === 3,
  );
  assert.equal(batches.length, 0);
});

describe('import order rules against a real ledger (the current consent is the event recorded last)', () => {
  const C = '+15125550123';
  const line = (o: Record<string, unknown>) => JSON.stringify({ event: 'granted', business_id: 1, consumer: C, ...o });

  function real(t: { after(fn: () => void): void }) {
    const { dir, cleanup } = tempDir('callkeeper-import-');
    const db = openDatabase(join(dir, 'ck.db'));
    migrate(db);
    const businesses = new SqliteBusinessDirectory(db, { now: () => NOW });
    businesses.add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
    const ledger = new SqliteConsentStore(db, { now: () => NOW });
    t.after(() => {
      db.close();
      cleanup();
    });
    const run = (lines: string[]) => importConsentNdjson({ ledger, businesses, now: () => NOW }, lines, 'f.ndjson');
    const count = () => db.prepare('SELECT count(*) FROM consent_ledger').pluck().get() as number;
    return { ledger, run, count };
  }

  /** The import's error: an INPUT.INVALID AppError whose message is one line naming the line. */
  function refused(fn: () => unknown, lineNo: number, why: RegExp): void {
    assert.throws(fn, (e: unknown) => {
      assert.ok(isAppError(e, 'INPUT.INVALID'), `an INPUT.INVALID AppError, got ${String(e)}`);
      assert.equal(e.details.line, lineNo);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, new RegExp(`^line ${lineNo}: `));
      assert.match(e.message, why);
      assert.match(e.message, /nothing was imported$/);
      return true;
    });
  }

  test('an `at` in 2099 is refused with its line number; nothing is written, and a later STOP still counts', (t) => {
    const { ledger, run, count } = real(t);
    refused(() => run([line({ at: NOW - 1000 }), line({ at: '2099-01-01T00:00:00Z' })]), 2, /at 2099-01-01T00:00:00\.000Z is in the future/);
    assert.equal(count(), 0);
    ledger.append(consentEvent({ consumer: C, event: 'revoked', method: 'sms-keyword' }));
    assert.equal(ledger.current(1, C), 'revoked');
  });

  test('an `at` up to 5 minutes ahead (clock skew) is accepted; 5 minutes and a millisecond is not', (t) => {
    const { run } = real(t);
    refused(() => run([line({ at: NOW + 5 * 60_000 + 1 })]), 1, /in the future \(more than 5 minutes ahead/);
    assert.equal(run([line({ at: NOW + 5 * 60_000 })]).imported, 1);
  });

  test('an `at` that is no time at all (9000000000000000) is a one-line error, not a RangeError', (t) => {
    const { run, count } = real(t);
    refused(() => run([line({ at: 9_000_000_000_000_000 })]), 1, /at is not a valid time/);
    refused(() => run([line({ at: Number.MAX_SAFE_INTEGER })]), 1, /at is not a valid time/);
    assert.equal(count(), 0);
  });

  test('an old `granted` imported after a live STOP is refused: it would become the current consent', (t) => {
    const { ledger, run, count } = real(t);
    ledger.append(consentEvent({ consumer: C, event: 'revoked', method: 'sms-keyword', at: NOW - 60_000 }));
    refused(() => run([line({ consumer: '+15125550124', at: NOW - 1000 }), line({ at: '2025-01-01' })]), 2, /before the current event of this business and number \(record 1, at /);
    assert.equal(count(), 1);
    assert.equal(ledger.current(1, C), 'revoked');
    // Newer than the STOP: a real re-grant from the old system, appended and current.
    assert.equal(run([line({ at: NOW - 1000 })]).imported, 1);
    assert.equal(ledger.current(1, C), 'granted');
  });

  test('a text holding a NUL character is refused, on SQLite too: PostgreSQL could not store it', (t) => {
    const { run, count } = real(t);
    refused(() => run([line({ at: NOW - 1000 }), line({ at: NOW - 500, transcript: 'yes\u0000' })]), 2, /transcript: holds a NUL character/);
    refused(() => run([line({ at: NOW - 1000, source: 'crm\u0000' })]), 1, /source: holds a NUL character/);
    assert.equal(count(), 0);
  });

  test('lines of one pair out of time order are refused (file order is append order)', (t) => {
    const { run, count } = real(t);
    refused(() => run([line({ event: 'revoked', at: '2025-06-01' }), line({ at: '2025-01-01' })]), 2, /before the current event/);
    assert.equal(count(), 0);
    assert.equal(run([line({ at: '2025-01-01' }), line({ event: 'revoked', at: '2025-06-01' }), line({ consumer: '+15125550124', at: '2024-01-01' })]).imported, 3);
  });
});

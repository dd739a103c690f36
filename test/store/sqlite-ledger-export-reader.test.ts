import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { exportConsent, type ExportFormat } from '../../src/app/consent/export-consent.ts';
import { CONSENT_EVENTS, CONSENT_METHODS, type NewConsentEvent } from '../../src/domain/consent.ts';
import { csvCell } from '../../src/domain/ledger/ledger-export-format.ts';
import { LEDGER_FIELDS, type LedgerRecord } from '../../src/domain/ledger/ledger-record.ts';
import type { LedgerFilter } from '../../src/domain/ports/consent-ledger.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase, type SqliteDb } from '../../src/store/sqlite-database.ts';
import { SqliteLedgerExportReader, type SqliteLedgerExportReaderOptions } from '../../src/store/sqlite-ledger-export-reader.ts';
import { consentEvent, tempDir } from './store-test-helpers.ts';

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0, 7);
/** Cells that exercise every CSV rule, and text outside ASCII (multi-byte UTF-8 across chunk bytes). */
const HOSTILE = ['=HYPERLINK("http://evil","x")', '-no, "thanks",\nbye', '@STOP', '\tcmd', '+1 maybe\r', 'sí, claro — 好', 'plain yes', '', "'quoted"];

/** A ledger of `n` rows over three businesses and many numbers, with hostile cells and imports of old events. */
function ledger(t: { after(fn: () => void): void }, n: number): { db: SqliteDb; store: SqliteConsentStore; path: string } {
  const { dir, cleanup } = tempDir('callkeeper-export-reader-');
  const path = join(dir, 'ledger.db');
  const db = openDatabase(path);
  migrate(db);
  let clock = T0;
  const store = new SqliteConsentStore(db, { now: () => (clock += 997) });
  const events: NewConsentEvent[] = [];
  for (let i = 0; i < n; i++) {
    const verbal = i % 3 !== 0;
    events.push(
      consentEvent({
        businessId: 1 + (i % 3),
        consumer: `+1512555${String(1000 + (i % 37)).padStart(4, '0')}`,
        event: CONSENT_EVENTS[i % CONSENT_EVENTS.length]!,
        method: CONSENT_METHODS[i % CONSENT_METHODS.length]!,
        scriptText: verbal ? `Script ${i % 4}: may we text you, "friend"?` : null,
        scriptVersion: verbal ? `v${i % 4}` : null,
        transcript: i % 5 === 0 ? null : HOSTILE[i % HOSTILE.length]!,
        audioPath: verbal ? `/var/lib/callkeeper/rec,${i}.wav` : null,
        audioSha256: verbal ? 'ab'.repeat(32) : null,
        callId: verbal ? i : null,
        source: i % 11 === 0 ? `cli:ops: asked by phone, ticket ${i}` : 'call',
        // Imports append old events late: ids and times are not in the same order.
        ...(i % 13 === 0 ? { at: T0 - i * 60_000 } : {}),
      }),
    );
  }
  store.appendAll(events);
  t.after(() => {
    if (db.open) db.close();
    cleanup();
  });
  return { db, store, path };
}

/** The export as the single-threaded code wrote it before the reader existed: the byte-for-byte oracle. */
function expected(store: SqliteConsentStore, format: ExportFormat, filter: LedgerFilter): string {
  const line = (r: LedgerRecord): string => `${LEDGER_FIELDS.map((f) => (f === 'id' || f === 'business_id' ? String(r[f]) : csvCell(r[f]))).join(',')}\r\n`;
  switch (format) {
    case 'csv':
      return `${LEDGER_FIELDS.join(',')}\r\n${[...store.records(filter)].map(line).join('')}`;
    case 'ndjson':
      return [...store.recordsWithScript(filter)].map((r) => `${JSON.stringify(r)}\n`).join('');
    case 'json': {
      const rows = [...store.recordsWithScript(filter)].map((r) => JSON.stringify(r));
      return rows.length ? `[\n${rows.join(',\n')}\n]\n` : '[]\n';
    }
  }
}

async function exported(db: SqliteDb, opts: SqliteLedgerExportReaderOptions, format: ExportFormat, filter: LedgerFilter = {}): Promise<string> {
  const pieces: Buffer[] = [];
  // Copy each piece: the reader reuses a chunk's bytes once the next one is pulled.
  for await (const p of exportConsent(new SqliteLedgerExportReader(db, opts), format, filter)) pieces.push(Buffer.from(typeof p === 'string' ? Buffer.from(p) : p));
  return Buffer.concat(pieces).toString('utf8');
}

const FILTERS: [string, LedgerFilter][] = [
  ['everything', {}],
  ['one business', { businessId: 2 }],
  ['one number', { consumer: '+15125551005' }],
  ['a number at a business', { businessId: 1, consumer: '+15125551003' }],
  ['a time window', { since: T0 + 50_000, until: T0 + 250_000 }],
  ['some events', { events: ['granted', 'revoked'] }],
  ['all of them', { businessId: 3, since: T0 - 10_000_000, events: ['granted', 'declined', 'implied'] }],
  ['nothing', { consumer: '+15125559999' }],
  ['no events', { events: [] }],
];

describe('SqliteLedgerExportReader', () => {
  test('exports byte for byte what the records give, in every format and filter, across chunk borders', async (t) => {
    const { db, store } = ledger(t, 700);
    // Chunks of 7 and 11 ids, so that most filters leave some chunks empty and rows cross many chunk borders.
    for (const chunkIds of [7, 11]) {
      for (const format of ['csv', 'ndjson', 'json'] as const) {
        for (const [name, filter] of FILTERS) {
          assert.equal(await exported(db, { chunkIds }, format, filter), expected(store, format, filter), `${format}, ${name}, chunks of ${chunkIds}`);
        }
      }
    }
    assert.equal(await exported(db, {}, 'csv'), expected(store, 'csv', {}), 'default chunks');
    const mem = openDatabase(':memory:');
    t.after(() => mem.close());
    migrate(mem);
    new SqliteConsentStore(mem).appendAll([consentEvent(), consentEvent({ transcript: '=1+1' })]);
    assert.equal(await exported(mem, { chunkIds: 1 }, 'csv'), expected(new SqliteConsentStore(mem), 'csv', {}), 'an in-memory database');
  });

  test('chunks formatted in JavaScript (odd rows of a tampered file) are joined with the format separator', async (t) => {
    const { db, store } = ledger(t, 40);
    // A real time, as only a foreign or tampered file holds: its chunk is formatted in JavaScript, as a string.
    db.prepare(
      `INSERT INTO consent_ledger (id, at, business_id, did, consumer, event, method, source, prev_hash, hash)
       VALUES (100, 1700000000000.5, 1, '+15125550100', '+15125550199', 'granted', 'admin', 'cli', 'p', 'odd-100'),
              (101, 1700000000001.5, 1, '+15125550100', '+15125550198', 'revoked', 'admin', 'cli', 'p', 'odd-101')`,
    ).run();
    for (const format of ['csv', 'ndjson', 'json'] as const) {
      assert.equal(await exported(db, { chunkIds: 1 }, format), expected(store, format, {}), format);
    }
  });

  test('reads one snapshot: rows appended while an export runs are not in it', async (t) => {
    const { db, store, path } = ledger(t, 200);
    const before = expected(store, 'ndjson', {});
    const reader = new SqliteLedgerExportReader(db, { chunkIds: 5 });
    const pieces: Buffer[] = [];
    let appended = false;
    for await (const chunk of reader.chunks('ndjson', {})) {
      pieces.push(Buffer.from(chunk));
      if (!appended) {
        // Another process appending: a connection of its own.
        const other = openDatabase(path);
        new SqliteConsentStore(other).appendAll(Array.from({ length: 50 }, () => consentEvent({ consumer: '+15125550777' })));
        other.close();
        appended = true;
      }
    }
    assert.equal(Buffer.concat(pieces).toString('utf8'), before);
    assert.equal(store.verify().count, 250);
  });

  test('a consumer that stops early leaves the connection as it was, and a later export starts afresh', async (t) => {
    // Enough rows for more than one piece of 256 KiB.
    const { db, store } = ledger(t, 1500);
    const cacheSize = db.pragma('cache_size', { simple: true });
    const reader = new SqliteLedgerExportReader(db, { chunkIds: 3 });
    let first = 0;
    for await (const chunk of reader.chunks('csv', {})) {
      first = chunk.length;
      break;
    }
    assert.ok(first > 0 && first < Buffer.byteLength(expected(store, 'csv', {})), `the first piece holds ${first} bytes: not a part of the export`);
    assert.equal(db.pragma('cache_size', { simple: true }), cacheSize, 'the export left its small page cache on the connection');
    assert.equal(await exported(db, { chunkIds: 3 }, 'csv'), expected(store, 'csv', {}));
  });
});

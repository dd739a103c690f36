/**
 * `consent export`'s reader on PostgreSQL (src/store/postgres/pg-ledger-export-reader.ts): the same
 * events appended to a SQLite and a PostgreSQL ledger export to the same bytes in every format and for
 * every filter, hostile transcripts included (formula-looking, quotes, commas, newlines, control
 * characters, text outside ASCII); a time JavaScript writes in its own form goes through the JavaScript
 * path and still match; a consumer that stops early leaves the pool usable; the COPY parser gives the
 * same rows however the socket cuts the stream.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportConsent } from '../../../src/app/consent/export-consent.ts';
import type { NewConsentEvent } from '../../../src/domain/consent.ts';
import type { LedgerExportFormat } from '../../../src/domain/ledger/ledger-export-format.ts';
import type { LedgerFilter } from '../../../src/domain/ports/consent-ledger.ts';
import type { LedgerExportReader } from '../../../src/domain/ports/ledger-export-reader.ts';
import { PgConsentStore } from '../../../src/store/postgres/pg-consent-store.ts';
import { CopyBinaryRows, PgLedgerExportReader } from '../../../src/store/postgres/pg-ledger-export-reader.ts';
import { SqliteConsentStore } from '../../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase, type SqliteDb } from '../../../src/store/sqlite-database.ts';
import { SqliteLedgerExportReader } from '../../../src/store/sqlite-ledger-export-reader.ts';
import { consentEvent, tempDir } from '../store-test-helpers.ts';
import { startPgTestCluster, type PgTestCluster, type PgTestDb } from './pg-test-db.ts';

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0, 7);
const A = '+15125550123';
const B = '+15125550124';
const FORMATS: LedgerExportFormat[] = ['csv', 'ndjson', 'json'];

const TRANSCRIPTS: (string | null)[] = [
  '=HYPERLINK("http://x","click")',
  '+1 call me',
  '-2',
  '@SUM(A1)',
  '\tindented',
  '\rcarriage',
  'sure, "quoted", and\nnew line',
  'line\r\nbreak',
  'back\\slash',
  '\u0001\u001f control',
  'é — ünïcode 😀',
  '"',
  '',
  null,
  'yes',
];

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

interface Pair {
  readonly sqlite: SqliteDb;
  readonly pg: PgTestDb;
}

/** The same events appended to a SQLite file and a PostgreSQL database, at the same times. */
async function bothLedgers(t: { after(fn: () => void | Promise<void>): void }, events: NewConsentEvent[], times: number[]): Promise<Pair> {
  const pg = await pgc.freshDb();
  t.after(() => pg.close());
  const { dir, cleanup } = tempDir('ck-pg-export-');
  const sqlite = openDatabase(join(dir, 'ledger.db'));
  t.after(() => {
    sqlite.close();
    cleanup();
  });
  migrate(sqlite);
  let i = 0;
  const now = { now: () => times[i]! };
  const lite = new SqliteConsentStore(sqlite, now);
  const ledger = new PgConsentStore(pg.pool(1), now);
  for (; i < events.length; i++) {
    lite.append(events[i]!);
    await ledger.append(events[i]!);
  }
  return { sqlite, pg };
}

async function text(reader: LedgerExportReader, format: LedgerExportFormat, filter: LedgerFilter): Promise<string> {
  const bytes: Buffer[] = [];
  for await (const p of exportConsent(reader, format, filter)) bytes.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p));
  return Buffer.concat(bytes).toString('utf8');
}

function pgReader(db: PgTestDb, max = 2): PgLedgerExportReader {
  const pool = db.pool(max);
  return new PgLedgerExportReader(pool, new PgConsentStore(pool));
}

describe('consent export on PostgreSQL', () => {
  test('the same ledger exports to the same bytes as on SQLite, in every format and for every filter', async (t) => {
    const events: NewConsentEvent[] = [];
    const times: number[] = [];
    for (let i = 0; i < 240; i++) {
      const transcript = TRANSCRIPTS[i % TRANSCRIPTS.length]!;
      const revoked = i % 7 === 3;
      events.push(
        consentEvent({
          consumer: i % 3 === 0 ? B : `+1512555${String(2000 + (i % 40))}`,
          transcript,
          ...(revoked ? { event: 'revoked', method: 'sms-keyword', scriptText: null, scriptVersion: null, source: `sms:${i}` } : {}),
          ...(i % 5 === 0 ? { audioPath: `/rec/${i}, "a".wav`, audioSha256: 'ab'.repeat(32), callId: i } : {}),
        }),
      );
      times.push(T0 + i * 1234 + (i % 11));
    }
    const { sqlite, pg } = await bothLedgers(t, events, times);
    const filters: LedgerFilter[] = [
      {},
      { consumer: B },
      { businessId: 1 },
      { businessId: 99 },
      { since: T0 + 50 * 1234, until: T0 + 120 * 1234 },
      { events: ['revoked'] },
      { events: [] },
      { consumer: "+1'; DROP TABLE consent_ledger; --" },
    ];
    const reader = pgReader(pg);
    for (const format of FORMATS) {
      for (const filter of filters) {
        const want = await text(new SqliteLedgerExportReader(sqlite), format, filter);
        const got = await text(reader, format, filter);
        assert.equal(got, want, `${format} ${JSON.stringify(filter)}`);
      }
    }
    const csv = await text(reader, 'csv', {});
    assert.equal(csv.split('\r\n').length > 240, true, 'every row is there');
    assert.match(csv, /,"'=HYPERLINK\(""http:\/\/x"",""click""\)",/, 'the formula guard and the quoting');
    assert.match(csv, /,'\+15125550124,/, 'phone numbers guarded');
    const ndjson = (await text(reader, 'ndjson', {})).trimEnd().split('\n');
    assert.equal(ndjson.length, 240);
    assert.equal(JSON.parse(ndjson[6]!).transcript, 'sure, "quoted", and\nnew line');
    assert.equal((await pg.pool(1).query('SELECT count(*)::int AS n FROM consent_ledger')).rows[0].n, 240, 'the hostile filter was a literal');
  });

  test('a time JavaScript writes in its own form (year 10000 on) is formatted in JavaScript and still matches', async (t) => {
    const events = [consentEvent({ consumer: A }), consentEvent({ consumer: B, transcript: '=1+1' }), consentEvent({ consumer: A, transcript: 'later' })];
    const { sqlite, pg } = await bothLedgers(t, events, [T0, T0 + 1, 253_402_300_800_000 + 5]);
    for (const format of FORMATS) {
      const got = await text(pgReader(pg), format, {});
      assert.equal(got, await text(new SqliteLedgerExportReader(sqlite), format, {}), format);
      if (format === 'csv') assert.match(got, /,'\+010000-01-01T00:00:00\.005Z,/, 'guarded: csvCell writes the time');
    }
  });

  test('a consumer that stops after the first piece leaves the pool usable (the COPY connection is not handed back mid-stream)', async (t) => {
    const events = Array.from({ length: 3000 }, (_, i) => consentEvent({ consumer: `+1512555${String(1000 + (i % 500))}`, transcript: `yes ${'x'.repeat(200)} ${i}` }));
    const pg = await pgc.freshDb();
    t.after(() => pg.close());
    const store = new PgConsentStore(pg.pool(1), { now: () => T0 });
    await store.appendAll(events);
    const pool = pg.pool(1);
    const reader = new PgLedgerExportReader(pool, new PgConsentStore(pool));
    let pieces = 0;
    for await (const piece of reader.chunks('csv', {})) {
      assert.ok(piece.length > 0);
      if (++pieces === 1) break;
    }
    const answer = await Promise.race([
      pool.query<{ n: number }>('SELECT count(*)::int AS n FROM consent_ledger'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the pool of one connection did not answer within 10 s after the export stopped')), 10_000).unref()),
    ]);
    assert.equal(answer.rows[0]!.n, 3000);
    const full = await text(reader, 'csv', {});
    assert.equal(full.split('\r\n').length, 3002, 'a later export on the same pool reads every row');
  });
});

describe('CopyBinaryRows', () => {
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 3, 9, 9, 9])]);
  const row = (s: string): Buffer => {
    const b = Buffer.from(s, 'utf8');
    const frame = Buffer.alloc(6);
    frame.writeInt16BE(1, 0);
    frame.writeInt32BE(b.length, 2);
    return Buffer.concat([frame, b]);
  };
  const stream = Buffer.concat([header, row('a,b\r\n'), row(''), row('é😀\n'), row('x'.repeat(300)), Buffer.from([0xff, 0xff])]);

  test('the rows come out joined by the separator however the stream is cut', () => {
    for (const size of [1, 2, 5, 7, 64, stream.length]) {
      const rows = new CopyBinaryRows(Buffer.from(',\n'));
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) {
        const piece = rows.push(stream.subarray(i, i + size));
        // A copy: the parser reuses its bytes on the next push.
        if (piece) out.push(Buffer.from(piece));
      }
      assert.equal(rows.ended, true, `cut every ${size} bytes`);
      // Pieces are whole rows: joined with the separator between pieces, as exportConsent joins chunks.
      assert.equal(out.map((b) => b.toString('utf8')).join(',\n').replace(/,\n,\n/g, ',\n'), `a,b\r\n,\n,\né😀\n,\n${'x'.repeat(300)}`.replace(/,\n,\n/g, ',\n'), `cut every ${size} bytes`);
    }
  });

  test('a stream that is not binary COPY is refused', () => {
    assert.throws(() => new CopyBinaryRows(Buffer.alloc(0)).push(Buffer.from('id,at,business_id\r\n1,2,3\r\n')), /not in binary format/);
  });
});

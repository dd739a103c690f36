import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import type { LedgerFilter } from '../../src/domain/ports/consent-ledger.ts';
import { ledgerChunkFormatter, ledgerChunkFormatterJs } from '../../src/store/ledger-export-chunk.ts';
import { ledgerChunkSql, ledgerCsvChunkSql } from '../../src/store/ledger-export-sql.ts';
import { migrate, openDatabase, type SqliteDb } from '../../src/store/sqlite-database.ts';
import { tempDir } from './store-test-helpers.ts';

/**
 * Differential test of the export built in SQL (src/store/ledger-export-sql.ts) against the JavaScript
 * formatting it replaced (ledgerChunkFormatterJs: csvCell, JSON.stringify), byte for byte, on content
 * chosen to break CSV quoting, the formula guard, JSON escaping and UTF-8.
 */
const PIECES = [
  '"', '""', ',', '\r', '\n', '\r\n', '\t', '\\', '/', '\u0001', '\u001f', '\u007f', "'",
  '=', '+', '-', '@', '=SUM(A1)', '+1 yes', '-2', '@cmd', ' ', 'a', 'yes', 'sí', 'é', '—', '好', '😀', '\u{10FFFF}',
  '\u2028', '\u2029', '\uFEFF', '\uFFFD', '</script>', '{"a":1}', 'null', '1e21', '0.1',
];
const FIRST = ['=', '+', '-', '@', '\t', '\r', '', '', '', "'", ' ', '"', ','];

/** A small deterministic PRNG (mulberry32), so that a failure names the same data every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostileText(rnd: () => number, max = 12): string {
  let s = FIRST[Math.floor(rnd() * FIRST.length)]!;
  const n = Math.floor(rnd() * max);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)]!;
  return s;
}

const INSERT = `INSERT INTO consent_ledger (id, at, business_id, did, consumer, event, method, script_version, script_sha256, transcript, audio_path, audio_sha256, call_id, source, prev_hash, hash)
  VALUES (@id, @at, @business_id, @did, @consumer, @event, @method, @script_version, @script_sha256, @transcript, @audio_path, @audio_sha256, @call_id, @source, @prev_hash, @hash)`;

/**
 * Rows 1..WELL_TYPED hold hostile text in every text column (the schema's CHECKs allow only the usual
 * event and method; the ledger's hashes are not checked by an export), extreme times and ids, NULLs.
 * Later rows hold values of other types than the schema's, as a tampered file might.
 */
const WELL_TYPED = 400;

function hostileLedger(t: { after(fn: () => void): void }): SqliteDb {
  const { dir, cleanup } = tempDir('callkeeper-export-sql-');
  const db = openDatabase(join(dir, 'ledger.db'));
  migrate(db);
  t.after(() => {
    db.close();
    cleanup();
  });
  const rnd = random(20260526);
  const scripts = ['s-plain', 's-hostile', 's-huge'];
  const insertScript = db.prepare('INSERT INTO consent_scripts (sha256, version, text) VALUES (?, ?, ?)');
  insertScript.run('s-plain', 'v1', 'May we text you? Reply STOP to opt out.');
  insertScript.run('s-hostile', '=v2', `"Hi", ${hostileText(rnd, 40)}`);
  insertScript.run('s-huge', 'v3', 'x\u2028"y"\n'.repeat(20_000));
  const events = ['granted', 'declined', 'unclear', 'implied', 'revoked', 'reinstated'];
  const methods = ['verbal', 'sms-keyword', 'admin', 'import', 'implied'];
  const times = [0, 1, 999, 1000, 86_399_999, 951_782_400_000, 1_779_804_187_123, 253_402_300_799_999, 59_999, 4_102_444_799_999];
  const insert = db.prepare(INSERT);
  const maybe = (v: string): string | null => (rnd() < 0.2 ? null : v);
  db.transaction(() => {
    for (let id = 1; id <= WELL_TYPED; id++) {
      const structuredHostile = id % 7 === 0;
      insert.run({
        id,
        at: id <= times.length ? times[id - 1]! : Math.floor(rnd() * 253_402_300_800_000),
        business_id: id % 50 === 0 ? -(2 ** 53 - 1) : id % 49 === 0 ? 2 ** 53 - 1 : 1 + (id % 3),
        did: structuredHostile ? hostileText(rnd) : '+15125550100',
        consumer: structuredHostile ? hostileText(rnd) : `+1512555${String(1000 + (id % 17))}`,
        event: events[id % events.length],
        method: methods[id % methods.length],
        script_version: maybe(hostileText(rnd)),
        script_sha256: id % 4 === 0 ? null : scripts[id % scripts.length],
        // A NUL, or a lone surrogate (stored as bytes that are not UTF-8), makes the SQL hand the chunk back
        // to JavaScript: a few rows only, so that most are compared.
        transcript: id % 23 === 0 ? `a\0b, "${id}"` : id % 29 === 0 ? `=\ud800, \udfff"${id}` : id % 97 === 0 ? `${hostileText(rnd)}${'long, "quoted"\r\n'.repeat(7_000)}` : maybe(hostileText(rnd)),
        audio_path: maybe(hostileText(rnd)),
        audio_sha256: structuredHostile ? maybe(hostileText(rnd)) : maybe('ab'.repeat(32)),
        call_id: id % 5 === 0 ? null : id % 11 === 0 ? -(2 ** 53 - 1) : id * 3,
        source: hostileText(rnd),
        prev_hash: structuredHostile ? hostileText(rnd) : 'cd'.repeat(32),
        hash: structuredHostile ? `${id}${hostileText(rnd)}` : `${id}`.padStart(64, 'e'),
      });
    }
    // Invalid UTF-8 (a lone continuation byte, a truncated sequence) written as TEXT by another program.
    const raw = db.prepare(`INSERT INTO consent_ledger (id, at, business_id, did, consumer, event, method, source, prev_hash, hash, transcript)
      VALUES (?, 1700000000000, 1, '+15125550100', CAST(X'2B31C3' AS TEXT), 'granted', 'verbal', CAST(X'80222C' AS TEXT), 'p', ?, CAST(? AS TEXT))`);
    raw.run(WELL_TYPED + 1, 'h-utf8-1', Buffer.from([0x3d, 0xe2, 0x80, 0x2c, 0x0a]));
    raw.run(WELL_TYPED + 2, 'h-utf8-2', Buffer.from([0xf0, 0x9f, 0x98, 0x22]));
    // Values of other types than the schema's, as only a foreign or tampered file holds them.
    const odd = (id: number, column: string, value: unknown): void => {
      insert.run({ id, at: 1_700_000_000_000, business_id: 1, did: '+1', consumer: '+2', event: 'granted', method: 'admin', script_version: null, script_sha256: null, transcript: null, audio_path: null, audio_sha256: null, call_id: null, source: 's', prev_hash: 'p', hash: `odd-${id}`, [column]: value });
    };
    odd(WELL_TYPED + 3, 'at', 1.5);
    odd(WELL_TYPED + 4, 'at', -1);
    odd(WELL_TYPED + 5, 'at', 253_402_300_800_000);
    odd(WELL_TYPED + 6, 'business_id', 2.25);
    odd(WELL_TYPED + 7, 'business_id', 'acme, inc');
    odd(WELL_TYPED + 8, 'call_id', 0.1);
    odd(WELL_TYPED + 9, 'business_id', 2 ** 60);
  })();
  return db;
}

const FORMATS = ['csv', 'ndjson', 'json'] as const;

describe('the export built in SQL', () => {
  test('SQLite formats hostile well-typed rows itself, byte for byte as JavaScript did, in every format', (t) => {
    const db = hostileLedger(t);
    for (const format of FORMATS) {
      const sql = db.prepare(ledgerChunkSql(format, 'l.id BETWEEN @lo AND @hi')).pluck();
      const js = ledgerChunkFormatterJs(db, format, {});
      let compared = 0;
      for (const size of [1, 7, 64, WELL_TYPED]) {
        for (let lo = 1; lo <= WELL_TYPED; lo += size) {
          const range = { lo, hi: Math.min(WELL_TYPED, lo + size - 1) };
          const value = sql.get(range) as string | Buffer | null;
          const built = typeof value === 'string' ? Buffer.from(value, 'utf8') : (value ?? Buffer.alloc(0));
          const expected = js(range);
          // Rows whose text holds a NUL, or is not UTF-8, are formatted again in JavaScript: skipped here.
          if (expected.includes('\0') || !isUtf8(built)) continue;
          assert.equal(built.includes(0), false, `${format} ${lo}-${range.hi}: the SQL gave up on a well-typed row`);
          assert.equal(Buffer.compare(built, Buffer.from(expected)), 0, `${format} ${lo}-${range.hi}`);
          compared++;
        }
      }
      // Most single rows hold no NUL: the comparison above ran on them, not only on the fallback.
      assert.ok(compared > WELL_TYPED, `${format}: only ${compared} ranges compared`);
    }
  });

  test('the chunk formatter gives the same bytes for every range and filter, falling back to JavaScript for odd rows', (t) => {
    const db = hostileLedger(t);
    const filters: LedgerFilter[] = [{}, { businessId: 2 }, { consumer: '+15125551003' }, { since: 1000, until: 4_102_444_800_000 }, { events: ['granted', 'revoked'] }, { events: [] }];
    const top = WELL_TYPED + 9;
    for (const format of FORMATS) {
      for (const filter of filters) {
        const chunk = ledgerChunkFormatter(db, format, filter);
        const js = ledgerChunkFormatterJs(db, format, filter);
        for (const size of [13, top]) {
          for (let lo = 1; lo <= top; lo += size) {
            const range = { lo, hi: Math.min(top, lo + size - 1) };
            assert.equal(Buffer.compare(Buffer.from(chunk(range)), Buffer.from(js(range))), 0, `${format} ${JSON.stringify(filter)} ${lo}-${range.hi}`);
          }
        }
      }
    }
    // The odd rows are written as JavaScript writes them (the fallback), e.g. a real time as toISOString.
    assert.match(Buffer.from(ledgerChunkFormatter(db, 'csv', {})({ lo: WELL_TYPED + 3, hi: WELL_TYPED + 3 })).toString('utf8'), /^403,1970-01-01T00:00:00\.001Z,/);
  });
});

/**
 * A ledger as callkeeper writes it (hex hashes, E.164 numbers, the schema's events and methods, script
 * versions, recording paths, sources like `call` and `sms:…`) with hostile transcripts: every CSV chunk
 * takes the fast statement (ledgerCsvChunkSql). Then one row per chunk is made odd in one cell, as only
 * a tampered file would be: that chunk must leave the fast statement's result (for the per-row statement
 * or JavaScript), or keep it where the fast line is still right (e.g. a guarded phone number), and
 * come out byte for byte as JavaScript writes it.
 */
describe('the fast CSV chunk', () => {
  const CHUNK = 10;
  type Row = Record<string, unknown>;
  const TAINTS: [string, Row, 'slow' | 'fast'][] = [
    ['a comma in source', { source: 'sms, 12' }, 'slow'],
    ['a quote in audio_path', { audio_path: '/rec/"x".wav' }, 'slow'],
    ['a LF in source', { source: 'sms\n1' }, 'slow'],
    ['a CR in script_version', { script_version: 'v\r1' }, 'slow'],
    ['a formula script_version', { script_version: '=1+1' }, 'slow'],
    ['a formula source', { source: '-2' }, 'slow'],
    ['a formula audio_path', { audio_path: '@x' }, 'slow'],
    ['a formula event', { event: '+granted' }, 'slow'],
    ['a method with a comma', { method: 'ver,bal' }, 'slow'],
    ['a hash that is not hex', { hash: `=${'e'.repeat(63)}` }, 'slow'],
    ['a prev_hash with a quote', { prev_hash: `"${'c'.repeat(63)}` }, 'slow'],
    ['an audio_sha256 with a comma', { audio_sha256: `a,${'b'.repeat(62)}` }, 'slow'],
    ['a consumer starting with a tab', { consumer: '\t15125550100' }, 'slow'],
    ['a did with a comma', { did: '+1512,555' }, 'slow'],
    ['a real time', { at: 1_700_000_000_000.5 }, 'slow'],
    ['a real business id', { business_id: 2.5 }, 'slow'],
    ['a business id beyond 2^53', { business_id: 2 ** 60 }, 'slow'],
    ['a time past year 9999', { at: 253_402_300_800_000 }, 'slow'],
    ['a NUL in source', { source: 'a\0b' }, 'slow'],
    ['a consumer starting with =', { consumer: '=15125550100' }, 'fast'],
    ['a did starting with -', { did: '-15125550100' }, 'fast'],
    ['a consumer starting with @', { consumer: '@1' }, 'fast'],
    ['a negative business id and call id', { business_id: -7, call_id: -(2 ** 53 - 1) }, 'fast'],
    ['an empty consumer and no script', { consumer: '', script_version: null, script_sha256: null, audio_path: null, audio_sha256: null }, 'fast'],
    ['a NUL in the transcript', { transcript: 'a\0, b' }, 'slow'],
  ];

  function plainLedger(t: { after(fn: () => void): void }): { db: SqliteDb; rows: number } {
    const { dir, cleanup } = tempDir('callkeeper-export-fast-');
    const db = openDatabase(join(dir, 'ledger.db'));
    migrate(db);
    t.after(() => {
      db.close();
      cleanup();
    });
    // Odd hashes in script_sha256 need no script row: foreign keys off for this connection.
    db.pragma('foreign_keys = OFF');
    db.pragma('ignore_check_constraints = ON');
    db.prepare('INSERT INTO consent_scripts (sha256, version, text) VALUES (?, ?, ?)').run('ab'.repeat(32), 'v1', 'May we text you?');
    const rnd = random(151515);
    const insert = db.prepare(INSERT);
    const events = ['granted', 'declined', 'unclear', 'implied', 'revoked', 'reinstated'];
    const methods = ['verbal', 'sms-keyword', 'admin', 'import', 'implied'];
    const rows = (TAINTS.length + 4) * CHUNK;
    db.transaction(() => {
      for (let id = 1; id <= rows; id++) {
        const verbal = id % 3 !== 0;
        const row: Row = {
          id,
          at: 1_779_804_187_123 + id * 1001,
          business_id: 1 + (id % 3),
          did: '+15125550100',
          consumer: `+1512555${String(1000 + (id % 17))}`,
          event: events[id % events.length],
          method: methods[id % methods.length],
          script_version: verbal ? 'v1' : null,
          script_sha256: verbal ? 'ab'.repeat(32) : null,
          transcript: id % 4 === 0 ? null : hostileText(rnd),
          audio_path: verbal ? `/var/lib/callkeeper/recordings/2026-05-26/call-${id}-answer.wav` : null,
          audio_sha256: verbal ? `${id}`.padStart(64, '0') : null,
          call_id: verbal ? id * 3 : null,
          source: verbal ? 'call' : `sms:${id}`,
          prev_hash: 'cd'.repeat(32),
          hash: `${id}`.padStart(64, 'e'),
        };
        // Chunk k (k ≥ 2) holds taint k - 2 in its middle row; chunks 0 and 1 and the last two stay plain.
        const k = Math.floor((id - 1) / CHUNK);
        if (k >= 2 && k - 2 < TAINTS.length && (id - 1) % CHUNK === CHUNK / 2) Object.assign(row, TAINTS[k - 2]![1]);
        insert.run(row);
      }
    })();
    return { db, rows };
  }

  test('takes a chunk callkeeper wrote in one statement, and any odd cell out of it, byte for byte as JavaScript writes it', (t) => {
    const { db, rows } = plainLedger(t);
    const fast = db.prepare(ledgerCsvChunkSql('l.id BETWEEN @lo AND @hi')).pluck();
    const chunk = ledgerChunkFormatter(db, 'csv', {});
    const js = ledgerChunkFormatterJs(db, 'csv', {});
    for (let lo = 1, k = 0; lo <= rows; lo += CHUNK, k++) {
      const range = { lo, hi: lo + CHUNK - 1 };
      const taint = k >= 2 ? TAINTS[k - 2] : undefined;
      const name = taint ? taint[0] : `plain chunk ${k}`;
      const got = fast.get(range) as string | null;
      // NULL: the per-row statement takes the chunk; a NUL: JavaScript does.
      const path = got === null || got.includes('\0') ? 'slow' : 'fast';
      assert.equal(path, taint ? taint[2] : 'fast', `${name}: took the ${path} statement`);
      assert.equal(Buffer.compare(Buffer.from(chunk(range)), Buffer.from(js(range))), 0, `${name}: not the bytes JavaScript writes`);
    }
    // An id range without rows: '' from the fast statement, not a fallback.
    assert.equal(fast.get({ lo: rows + 1, hi: rows + CHUNK }), '');
  });
});

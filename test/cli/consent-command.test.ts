import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { LEDGER_FIELDS } from '../../src/domain/ledger/ledger-record.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0, 123);

/** A database with two businesses and a small ledger, including hostile cell contents. */
function seeded(t: { after(fn: () => void): void }): { dir: string; db: string; env: NodeJS.ProcessEnv; wav: string } {
  const { dir, cleanup } = tempDir('callkeeper-consent-cli-');
  t.after(cleanup);
  const path = join(dir, 'ck.db');
  const wav = join(dir, 'answer-5.wav');
  writeFileSync(wav, Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt fake answer audio'));
  const db = openDatabase(path);
  migrate(db);
  const biz = new SqliteBusinessDirectory(db);
  biz.add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  biz.add({ name: 'Bolt', dids: ['+15125550200'], timezone: 'America/Chicago', consentMode: 'implied' });
  let clock = T0;
  const store = new SqliteConsentStore(db, { now: () => (clock += 60_000) });
  store.append(consentEvent({ consumer: '+15125550111', transcript: '=HYPERLINK("http://evil","x")' }));
  store.append(consentEvent({ consumer: '+15125550112', event: 'declined', transcript: '-no, "thanks",\nbye' }));
  store.append(consentEvent({ consumer: '+15125550111', event: 'revoked', method: 'sms-keyword', scriptText: null, scriptVersion: null, transcript: '@STOP' }));
  store.append(consentEvent({ businessId: 2, did: '+15125550200', consumer: '+15125550111', event: 'implied', method: 'implied', scriptText: null, scriptVersion: null, transcript: '\tcmd' }));
  store.append(consentEvent({ consumer: '+15125550113', transcript: 'yes please', audioPath: wav, audioSha256: createHash('sha256').update(readFileSync(wav)).digest('hex') }));
  store.append(consentEvent({ consumer: '+15125550114', event: 'unclear', transcript: '+1 maybe\r' }));
  db.close();
  // The audio lives in the temp dir, which stands for the recordings directory (evidence copies only from there).
  return { dir, db: path, env: { CALLKEEPER_DB: path, CALLKEEPER_RECORDINGS__DIR: dir }, wav };
}

/** RFC 4180 parser for the assertions (quoted fields, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell + row.join(''), '', 'the CSV ends with CRLF');
  return rows;
}

describe('callkeeper consent export', () => {
  test('CSV: stable header, RFC 4180 quoting, ISO-8601 UTC, formula injection neutralized', async (t) => {
    const { env } = seeded(t);
    const r = await callkeeper(['consent', 'export', '--format', 'csv'], env);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout);
    assert.deepEqual(rows[0], [...LEDGER_FIELDS]);
    assert.equal(rows.length, 7);
    const col = (name: string) => LEDGER_FIELDS.indexOf(name as never);
    const transcripts = rows.slice(1).map((row) => row[col('transcript')]);
    assert.deepEqual(transcripts, [`'=HYPERLINK("http://evil","x")`, `'-no, "thanks",\nbye`, `'@STOP`, `'\tcmd`, 'yes please', `'+1 maybe\r`]);
    assert.equal(rows[1]![col('consumer')], "'+15125550111");
    assert.equal(rows[1]![col('at')], '2026-05-26T14:01:00.123Z');
    for (const row of rows.slice(1)) {
      assert.equal(row.length, LEDGER_FIELDS.length);
      for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `cell ${JSON.stringify(cell)} is neutralized`);
    }
  });

  test('filters by business, phone, event and time; writes a 0600 file with --out', async (t) => {
    const { env, dir } = seeded(t);
    const out = join(dir, 'out.csv');
    const r = await callkeeper(['consent', 'export', '--business', '1', '--phone', '512-555-0111', '--event', 'granted,revoked', '--since', '2026-05-26T14:00:00Z', '--until', '2026-05-27', '--out', out], env);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(
      rows.slice(1).map((row) => [row[0], row[5]]),
      [
        ['1', 'granted'],
        ['3', 'revoked'],
      ],
    );
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const none = await callkeeper(['consent', 'export', '--since', '2026-05-26T14:03:30Z', '--until', '2026-05-26T14:04:30Z', '--format', 'json'], env);
    assert.deepEqual(
      JSON.parse(none.stdout).map((x: { id: number }) => x.id),
      [4],
    );
  });

  test('bad filter values are exit 1, a bad format is exit 2', async (t) => {
    const { env } = seeded(t);
    const since = await callkeeper(['consent', 'export', '--since', 'yesterday'], env);
    assert.equal(since.code, 1);
    assert.equal(since.stderr.split('\n').length, 2);
    assert.equal((await callkeeper(['consent', 'export', '--event', 'maybe'], env)).code, 1);
    assert.equal((await callkeeper(['consent', 'export', '--phone', 'nope'], env)).code, 1);
    assert.equal((await callkeeper(['consent', 'export', '--format', 'xlsx'], env)).code, 2);
  });

  test('round-trips through import into a fresh database: same events, same current consent', async (t) => {
    const { env, dir } = seeded(t);
    const exported = await callkeeper(['consent', 'export', '--format', 'ndjson'], env);
    assert.equal(exported.code, 0, exported.stderr);
    const file = join(dir, 'ledger.ndjson');
    writeFileSync(file, exported.stdout);
    const fresh = { CALLKEEPER_DB: join(dir, 'fresh.db') };
    await callkeeper(['business', 'add', '--name', 'Acme', '--did', '+15125550100', '--timezone', 'America/Chicago'], fresh);
    await callkeeper(['business', 'add', '--name', 'Bolt', '--did', '+15125550200', '--timezone', 'America/Chicago'], fresh);
    const imp = await callkeeper(['consent', 'import', '--format', 'ndjson', file], fresh);
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal(imp.stdout, 'imported 6 events (records 1-6)\n');

    const before = openDatabase(env.CALLKEEPER_DB!, { readonly: true });
    const after = openDatabase(fresh.CALLKEEPER_DB, { readonly: true });
    t.after(() => {
      before.close();
      after.close();
    });
    const a = new SqliteConsentStore(before);
    const b = new SqliteConsentStore(after);
    const pairs = before.prepare('SELECT DISTINCT business_id, consumer FROM consent_ledger').all() as { business_id: number; consumer: string }[];
    assert.equal(pairs.length, 5);
    for (const p of pairs) assert.equal(b.current(p.business_id, p.consumer), a.current(p.business_id, p.consumer), JSON.stringify(p));
    const orig = [...a.recordsWithScript()];
    const copy = [...b.recordsWithScript()];
    assert.deepEqual(
      copy.map((r) => [r.at, r.event, r.consumer, r.did, r.transcript, r.script_text, r.audio_sha256]),
      orig.map((r) => [r.at, r.event, r.consumer, r.did, r.transcript, r.script_text, r.audio_sha256]),
    );
    assert.ok(copy.every((r) => r.method === 'import'));
    assert.match(copy[2]!.source, /^import:ledger\.ndjson:3 \(method=sms-keyword source=call\)$/);
    assert.equal((await callkeeper(['consent', 'verify'], fresh)).stdout.split('\n')[0], 'ok 6 records');
  });

  test('a bad line fails the import with its line number and writes nothing', async (t) => {
    const { env, dir } = seeded(t);
    const good = (consumer: string) => JSON.stringify({ event: 'granted', business_id: 1, consumer, at: '2025-11-02T15:04:05Z' });
    const cases: [string, RegExp][] = [
      [`${good('+15125550150')}\n${good('+15125550151')}\n{"event":"granted",`, /^callkeeper: line 3: not valid JSON; nothing was imported\n$/],
      [`${good('+15125550150')}\n\n${JSON.stringify({ event: 'maybe', business_id: 1, consumer: '+15125550150', at: 0 })}\n`, /^callkeeper: line 3: event: .*\n$/],
      [`${good('+15125550150')}\n${JSON.stringify({ event: 'granted', business_id: 7, consumer: '+15125550150', at: 0 })}\n`, /^callkeeper: line 2: no business with id 7; nothing was imported\n$/],
      [`${good('+15125550150')}\n${good('not-a-number')}\n`, /^callkeeper: line 2: consumer is not a valid phone number; nothing was imported\n$/],
      [`${JSON.stringify({ event: 'granted', business_id: 1, consumer: '+15125550150', at: '2025-11-02 15:04' })}\n`, /^callkeeper: line 1: at must be ISO-8601/],
      [`${good('+15125550150')}\n${JSON.stringify({ event: 'granted', business_id: 1, consumer: '+15125550150', at: '2099-01-01T00:00:00Z' })}\n`, /^callkeeper: line 2: at 2099-01-01T00:00:00\.000Z is in the future \(more than 5 minutes ahead of this machine's clock\); nothing was imported\n$/],
      [`${JSON.stringify({ event: 'granted', business_id: 1, consumer: '+15125550150', at: 9_000_000_000_000_000 })}\n`, /^callkeeper: line 1: at is not a valid time .*; nothing was imported\n$/],
      // +15125550111 was revoked by an SMS STOP in 2026: an older grant appended now would undo it.
      [`${JSON.stringify({ event: 'granted', business_id: 1, consumer: '+15125550111', at: '2025-11-02T15:04:05Z' })}\n`, /^callkeeper: line 1: at 2025-11-02T15:04:05\.000Z is before the current event of this business and number \(record 3, at 2026-05-26T14:03:00\.123Z\); [^\n]*; nothing was imported\n$/],
    ];
    for (const [content, expected] of cases) {
      const file = join(dir, 'bad.ndjson');
      writeFileSync(file, content);
      const r = await callkeeper(['consent', 'import', file], env);
      assert.equal(r.code, 1, content);
      assert.match(r.stderr, expected);
      const db = new Database(env.CALLKEEPER_DB!, { readonly: true });
      assert.equal(db.prepare('SELECT count(*) FROM consent_ledger').pluck().get(), 6, 'nothing was written');
      db.close();
    }
  });
});

describe('callkeeper consent show | revoke | verify | evidence', () => {
  test('revoke appends an admin revocation; show lists the whole history with the current state', async (t) => {
    const { env } = seeded(t);
    const rev = await callkeeper(['consent', 'revoke', '+1 512 555 0113', '--business', '1', '--reason', 'asked by phone, ticket 4411'], env);
    assert.equal(rev.code, 0, rev.stderr);
    assert.equal(rev.stdout, 'revoked: record 7\n');
    const show = await callkeeper(['consent', 'show', '+15125550113', '--json'], env);
    const h = JSON.parse(show.stdout);
    assert.deepEqual(h.current, [{ businessId: 1, state: 'revoked' }]);
    assert.deepEqual(
      h.events.map((e: { event: string; method: string }) => [e.event, e.method]),
      [
        ['granted', 'verbal'],
        ['revoked', 'admin'],
      ],
    );
    assert.match(h.events[1].source, /^cli:.+: asked by phone, ticket 4411$/);
    const text = await callkeeper(['consent', 'show', '+15125550111'], env);
    assert.match(text.stdout, /^business 1: current consent revoked\nbusiness 2: current consent implied\nid\tat/);
    assert.equal((await callkeeper(['consent', 'show', '+15125550111', '--business', '2', '--json'], env)).stdout.includes('"revoked"'), false);
  });

  test('revoke: user errors are exit 1 with one line; missing --reason is exit 2', async (t) => {
    const { env } = seeded(t);
    const bad = await callkeeper(['consent', 'revoke', '12', '--business', '1', '--reason', 'x'], env);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'callkeeper: the phone number is not a valid phone number (expected E.164, e.g. +15125550100)\n');
    const biz = await callkeeper(['consent', 'revoke', '+15125550113', '--business', '9', '--reason', 'x'], env);
    assert.equal(biz.stderr, 'callkeeper: no business with id 9\n');
    assert.equal((await callkeeper(['consent', 'revoke', '+15125550113', '--business', '1'], env)).code, 2);
  });

  test('verify: ok N records, then exit 1 naming the first bad record after tampering', async (t) => {
    const { env } = seeded(t);
    const ok = await callkeeper(['consent', 'verify'], env);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /^ok 6 records\nhead [0-9a-f]{64}\nunsigned: no signing key \(.*ck\.db\.ledger-key\) and no checkpoints \(.*ck\.db\.checkpoints\); a rewritten chain would pass this check\n$/);
    const raw = new Database(env.CALLKEEPER_DB!);
    raw.exec("DROP TRIGGER consent_ledger_no_update; UPDATE consent_ledger SET event = 'granted' WHERE id = 2;");
    raw.close();
    const bad = await callkeeper(['consent', 'verify'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^callkeeper: ledger tampered: first bad record 2 \(hash-mismatch\).*\n$/);
  });

  test('verify on a database that does not exist is a user error, not an empty ok', async (t) => {
    const { dir } = seeded(t);
    const r = await callkeeper(['consent', 'verify'], { CALLKEEPER_DB: join(dir, 'typo.db') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^callkeeper: no database at /);
  });

  test('evidence writes the record, script, transcript, audio and a manifest of sha256s', async (t) => {
    const { env, dir, wav } = seeded(t);
    const out = join(dir, 'evidence-5');
    const r = await callkeeper(['consent', 'evidence', '5', '--out', out, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(
      manifest.files.map((f: { name: string }) => f.name),
      ['record.json', 'script.txt', 'transcript.txt', 'answer-audio.wav'],
    );
    for (const f of manifest.files) {
      assert.equal(createHash('sha256').update(readFileSync(join(out, f.name))).digest('hex'), f.sha256, f.name);
    }
    assert.deepEqual(readFileSync(join(out, 'answer-audio.wav')), readFileSync(wav));
    assert.equal(readFileSync(join(out, 'script.txt'), 'utf8'), `${consentEvent().scriptText}\n`);
    assert.equal(manifest.record_hash_ok, true);
    assert.equal(manifest.audio_sha256_ok, true);
    assert.equal(JSON.parse(readFileSync(join(out, 'record.json'), 'utf8')).record.id, 5);
    const missing = await callkeeper(['consent', 'evidence', '99', '--out', out], env);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'callkeeper: no consent record with id 99\n');
  });

  test('evidence of a record taken on a call adds the call row and its message recording, each with its sha256', async (t) => {
    const { env, dir } = seeded(t);
    const message = join(dir, 'call-7-message.wav');
    writeFileSync(message, Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt fake message audio'));
    const messageSha = createHash('sha256').update(readFileSync(message)).digest('hex');
    const db = openDatabase(env.CALLKEEPER_DB!);
    const calls = new SqliteCallLog(db);
    const callId = calls.open({ engine: 'asterisk', channelId: 'chan-7', businessId: 1, did: '+15125550100', callerRaw: '5125550115', callerE164: '+15125550115', startedAt: T0 });
    calls.saveMessage(callId, { recordingPath: message, sha256: messageSha, durationMs: 4200 });
    const gone = calls.open({ engine: 'asterisk', channelId: 'chan-8', businessId: 1, did: '+15125550100', callerRaw: '5125550116', callerE164: '+15125550116', startedAt: T0 });
    calls.saveMessage(gone, { recordingPath: join(dir, 'purged.wav'), sha256: messageSha, durationMs: 1000 });
    const store = new SqliteConsentStore(db);
    const onCall = store.append(consentEvent({ consumer: '+15125550115', callId }));
    const purged = store.append(consentEvent({ consumer: '+15125550116', callId: gone }));
    const orphan = store.append(consentEvent({ consumer: '+15125550117', callId: 999 }));
    db.close();

    const out = join(dir, 'evidence-call');
    const r = await callkeeper(['consent', 'evidence', String(onCall.id), '--out', out, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(JSON.parse(r.stdout), manifest);
    assert.deepEqual(
      manifest.files.map((f: { name: string }) => f.name),
      ['record.json', 'script.txt', 'transcript.txt', 'call.json', 'message-audio.wav'],
    );
    for (const f of manifest.files) {
      assert.equal(createHash('sha256').update(readFileSync(join(out, f.name))).digest('hex'), f.sha256, f.name);
    }
    assert.deepEqual(readFileSync(join(out, 'message-audio.wav')), readFileSync(message));
    assert.equal(manifest.message_sha256_ok, true);
    assert.deepEqual(manifest.missing, []);
    const call = JSON.parse(readFileSync(join(out, 'call.json'), 'utf8'));
    assert.equal(call.id, callId);
    assert.equal(call.channel_id, 'chan-7');
    assert.equal(call.recording_path, message);
    assert.equal(call.recording_sha256, messageSha);
    writeFileSync(message, 'edited after the call');
    const edited = JSON.parse((await callkeeper(['consent', 'evidence', String(onCall.id), '--out', join(dir, 'evidence-edited'), '--json'], env)).stdout);
    assert.equal(edited.message_sha256_ok, false);

    const purgedOut = join(dir, 'evidence-purged');
    const p = JSON.parse((await callkeeper(['consent', 'evidence', String(purged.id), '--out', purgedOut, '--json'], env)).stdout);
    assert.deepEqual(p.files.map((f: { name: string }) => f.name), ['record.json', 'script.txt', 'transcript.txt', 'call.json']);
    assert.deepEqual(p.missing, ['message-audio.wav']);
    assert.equal(p.message_sha256_ok, null);

    const orphanOut = join(dir, 'evidence-orphan');
    const text = await callkeeper(['consent', 'evidence', String(orphan.id), '--out', orphanOut], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^missing: call\.json$/m);
  });

  test('every consent command has --help with an example', async () => {
    for (const sub of ['export', 'import', 'show', 'revoke', 'verify', 'evidence']) {
      const r = await callkeeper(['consent', sub, '--help']);
      assert.equal(r.code, 0, sub);
      assert.match(r.stdout, /Example:\n  callkeeper /, sub);
    }
  });
});

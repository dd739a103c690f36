import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

const T0 = Date.UTC(2026, 11, 1, 15, 0, 0);

/** Three calls: a granted one with its text and an urgent rule, a declined one, a withheld caller's message. */
function seeded(t: { after(fn: () => void): void }): NodeJS.ProcessEnv {
  const { dir, cleanup } = tempDir('callkeeper-calls-cli-');
  t.after(cleanup);
  const path = join(dir, 'ck.db');
  const db = openDatabase(path);
  migrate(db);
  new SqliteBusinessDirectory(db).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  new SqliteBusinessDirectory(db).add({ name: 'Bolt', dids: ['+15125550200'], timezone: 'America/Chicago', consentMode: 'verbal' });
  const call = db.prepare(
    'INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at, ended_at, outcome, transcript) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  call.run('asterisk', 'ch-1', 1, '+15125550100', '5125550111', '+15125550111', T0, T0 + 60_000, 'consent-granted', 'Water is pouring from the ceiling');
  call.run('freeswitch', 'ch-2', 1, '+15125550100', '5125550112', '+15125550112', T0 + 86_400_000, T0 + 86_460_000, 'consent-declined', 'Call me about a quote');
  call.run('asterisk', 'ch-3', 2, '+15125550200', 'anonymous', null, T0 + 2 * 86_400_000, T0 + 2 * 86_400_000 + 30_000, 'message-only', 'Hi');
  const consent = new SqliteConsentStore(db, { now: () => T0 + 50_000 });
  consent.append(consentEvent({ consumer: '+15125550111', callId: 1, transcript: 'yes please' }));
  consent.append(consentEvent({ consumer: '+15125550112', callId: 2, event: 'declined', transcript: 'no thanks' }));
  db.prepare(
    "INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, call_id, state, parts, created_at) VALUES (1, '+15125550100', '+15125550111', 'Hi, this is Acme. We received your call.', 'first-reply', 1, 'delivered', 1, ?)",
  ).run(T0 + 55_000);
  db.prepare("INSERT INTO urgency_decisions (call_id, business_id, decided_at, urgent, trade, rule, phrase, matched) VALUES (1, 1, ?, 1, 'plumbing', 'plumbing.flood', 'water pouring', 'Water is pouring')").run(T0 + 61_000);
  db.close();
  return { CALLKEEPER_DB: path };
}

describe('calls list|show', () => {
  test('list: newest first, with the consent decision, urgency and texts; filters narrow it', async (t) => {
    const env = seeded(t);
    const all = await callkeeper(['calls', 'list'], env);
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split('  ')[0]), ['#3', '#2', '#1']);
    assert.match(lines[2]!, /consent-granted  consent granted  URGENT  1 text$/);
    assert.match(lines[1]!, /consent-declined  consent declined  -  0 texts$/);
    assert.match(lines[0]!, /\(withheld\)  message-only  consent -/);

    const byPhone = await callkeeper(['calls', 'list', '--phone', '(512) 555-0112', '--json'], env);
    assert.equal(byPhone.code, 0, byPhone.stderr);
    const rows = byPhone.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(rows.map((r) => [r.id, r.consent, r.startedAt]), [[2, 'declined', new Date(T0 + 86_400_000).toISOString()]]);

    const filtered = await callkeeper(['calls', 'list', '--business', '1', '--since', new Date(T0 + 1).toISOString(), '--json'], env);
    assert.deepEqual(filtered.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id), [2]);
    const urgent = await callkeeper(['calls', 'list', '--urgent', '--json'], env);
    assert.deepEqual(urgent.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id), [1]);
    const none = await callkeeper(['calls', 'list', '--outcome', 'failed'], env);
    assert.equal(none.stdout.trim(), 'no calls');
  });

  test('show: the call, the answer and the decision, urgency with its rule, the text and its state', async (t) => {
    const env = seeded(t);
    const r = await callkeeper(['calls', 'show', '1'], env);
    assert.equal(r.code, 0, r.stderr);
    for (const part of ['call #1 on asterisk', 'outcome consent-granted', '"Water is pouring from the ceiling"', 'URGENT (rule plumbing.flood', 'consent: granted (verbal)', '"yes please"', 'first-reply: delivered', '1 SMS']) {
      assert.ok(r.stdout.includes(part), `${part} in\n${r.stdout}`);
    }
    const json = JSON.parse((await callkeeper(['calls', 'show', '2', '--json'], env)).stdout) as { consent: Array<{ event: string }>; texts: unknown[] };
    assert.deepEqual(json.consent.map((e) => e.event), ['declined']);
    assert.deepEqual(json.texts, []);
  });

  test('bad input is one line with exit 1; nothing is written', async (t) => {
    const env = seeded(t);
    for (const args of [['calls', 'show', '99'], ['calls', 'show', 'x'], ['calls', 'list', '--since', 'yesterday'], ['calls', 'list', '--phone', 'abc']]) {
      const r = await callkeeper(args, env);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

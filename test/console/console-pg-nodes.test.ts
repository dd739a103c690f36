/**
 * The console on PostgreSQL (src/compose/pg-console-wiring.ts), two nodes on one database
 * (console-pg-fixture.ts), through fastify inject: a session signed in on node A is valid on node B
 * (one session table, one cookie key) and signing out on B ends it on A; every page renders from the
 * shared tables; a revocation on B is `consent revoke`'s on PostgreSQL (the `revoked` record and the
 * caller's queued text cancelled together, the other caller's text left queued), audited, and seen on A;
 * a template saved on B is the business A reads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startPgTestCluster, type PgTestCluster } from '../store/postgres/pg-test-db.ts';
import { ADMIN, CALLER, OTHER_CALLER, VIEWER } from './console-fixture.ts';
import { cookieOf, csrfOf, form, signIn } from './console-inject.ts';
import { startPgConsoleFixture, type PgConsoleFixture } from './console-pg-fixture.ts';

const get = (app: FastifyInstance, cookie: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie } });

let pgc: PgTestCluster | undefined;
let fx: PgConsoleFixture;
let a: FastifyInstance;
let b: FastifyInstance;
before(async () => {
  pgc = await startPgTestCluster();
  fx = await startPgConsoleFixture(pgc);
  a = fx.nodes[0]!.server.app;
  b = fx.nodes[1]!.server.app;
});
after(async () => {
  await fx?.close();
  await pgc?.stop();
});

describe('the console on PostgreSQL, two nodes on one database', () => {
  test('a session signed in on node A is valid on node B; signing out on B ends it on A', async () => {
    const cookie = await signIn(a, ADMIN);
    const onB = await get(b, cookie, '/');
    assert.equal(onB.statusCode, 200, 'node B knows the session node A made (and verifies the cookie A signed)');
    assert.match(onB.body, /Dashboard/);
    assert.match(onB.body, new RegExp(ADMIN.username));
    const onA = await get(a, cookie, '/calls');
    assert.equal(onA.statusCode, 200);
    const out = await b.inject(form(cookie, '/logout', { _csrf: csrfOf(onB.body) }));
    assert.equal(out.statusCode, 303);
    const after = await get(a, cookie, '/calls');
    assert.equal(after.statusCode, 303, 'signed out on B: node A sends the browser to the sign-in page');
    assert.match(String(after.headers.location), /^\/login\?next=/);
    assert.equal((await fx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM console_sessions WHERE user_id IS NOT NULL')).rows[0]!.n, 0);
  });

  test('every page renders from the shared tables', async () => {
    const cookie = await signIn(b, ADMIN);
    const id = fx.source.callId;
    const record = (await fx.pool.query<{ id: number }>('SELECT id FROM consent_ledger WHERE consumer = $1 ORDER BY id LIMIT 1', [CALLER])).rows[0]!.id;
    const pages: Array<[string, RegExp]> = [
      ['/', /Dashboard/],
      [`/calls?phone=${encodeURIComponent(CALLER)}`, new RegExp(`/calls/${id}"`)],
      [`/calls/${id}`, /My water heater is leaking/],
      [`/consent?phone=${encodeURIComponent(CALLER)}`, /Intact: \d+ records/],
      ['/messages', /Thanks, how soon\?/],
      ['/optouts', /Opt-outs/],
      ['/businesses', /Acme Plumbing/],
      ['/businesses/1', /Acme Plumbing/],
      ['/staff', /Sam/],
      ['/health', /asterisk/],
      ['/compliance', /Acme Plumbing/],
      ['/audit', /Audit log/],
    ];
    for (const [url, expect] of pages) {
      const res = await get(b, cookie, url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
      assert.match(res.body, expect, url);
    }
    const wav = await get(b, cookie, `/calls/${id}/recordings/answer.wav`);
    assert.equal(wav.statusCode, 200);
    assert.equal(wav.headers['content-type'], 'audio/wav');
    const tar = await get(b, cookie, `/consent/records/${record}/evidence.tar`);
    assert.equal(tar.statusCode, 200);
    assert.equal(tar.headers['content-type'], 'application/x-tar');
    const audit = (await fx.pool.query('SELECT username, action, target FROM console_audit ORDER BY id DESC LIMIT 1')).rows[0];
    assert.deepEqual(audit, { username: ADMIN.username, action: 'export', target: `record:${record}` });
  });

  test("a recording of another node's call: node B names the node that took the call instead of retention; node A, whose call it is, does not", async () => {
    const cookie = await signIn(b, ADMIN);
    // Node A took this call; its message file is not on the disk node B reads.
    const id = (
      await fx.pool.query<{ id: number }>(
        `INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at, recording_path, node)
         VALUES ('asterisk', 'other-node-call', 1, '+15125550100', $1, $1, 1000, '/var/lib/node-a/recordings/1.wav', 'node-a') RETURNING id`,
        [OTHER_CALLER],
      )
    ).rows[0]!.id;
    const onB = await get(b, cookie, `/calls/${id}/recordings/message.wav`);
    assert.equal(onB.statusCode, 404);
    assert.match(onB.body, new RegExp(`the recording of call ${id} is on node node-a, which took the call: open the console there`));
    const onA = await get(a, cookie, `/calls/${id}/recordings/message.wav`);
    assert.equal(onA.statusCode, 404);
    assert.doesNotMatch(onA.body, /is on node/, 'its own call: the file is not anywhere else');
  });

  test("a revocation on node B records `revoked` and cancels the caller's queued text together; the other caller's stays queued; node A shows it", async () => {
    const queued = async (who: string) =>
      (await fx.pool.query<{ state: string }>("SELECT state FROM outbound_messages WHERE recipient = $1 AND kind <> 'staff' ORDER BY id", [who])).rows.map((r) => r.state);
    assert.deepEqual(await queued(CALLER), ['queued']);
    assert.deepEqual(await queued(OTHER_CALLER), ['queued']);
    const viewer = await signIn(b, VIEWER);
    const viewerPage = await get(b, viewer, `/consent?phone=${encodeURIComponent(CALLER)}`);
    const refused = await b.inject(form(viewer, '/consent/revoke', { _csrf: csrfOf(viewerPage.body), phone: CALLER, business: '1', reason: 'viewer tries' }));
    assert.equal(refused.statusCode, 403);

    const cookie = await signIn(b, ADMIN);
    const page = await get(b, cookie, `/consent?phone=${encodeURIComponent(CALLER)}`);
    const res = await b.inject(form(cookie, '/consent/revoke', { _csrf: csrfOf(page.body), phone: CALLER, business: '1', reason: 'asked by phone' }));
    assert.equal(res.statusCode, 303, res.body);
    const last = (await fx.pool.query('SELECT id, event, method, source FROM consent_ledger WHERE consumer = $1 ORDER BY id DESC LIMIT 1', [CALLER])).rows[0] as { id: number; event: string; method: string; source: string };
    assert.deepEqual({ ...last, id: undefined }, { id: undefined, event: 'revoked', method: 'admin', source: `console:${ADMIN.username}: asked by phone` });
    assert.match(String(res.headers.location), new RegExp(`revoked=${last.id}$`));
    assert.deepEqual(await queued(CALLER), ['cancelled'], "the caller's queued text is cancelled");
    assert.deepEqual(await queued(OTHER_CALLER), ['queued'], "the other caller's text is not");
    const audit = (await fx.pool.query('SELECT username, action, target, detail FROM console_audit ORDER BY id DESC LIMIT 1')).rows[0];
    assert.deepEqual(audit, { username: ADMIN.username, action: 'revoke', target: `${CALLER}@business:1`, detail: `ledger record ${last.id}` });
    await assert.rejects(fx.pool.query('DELETE FROM console_audit'), /append-only/);
    await assert.rejects(fx.pool.query('TRUNCATE console_audit'), /append-only/);

    const onA = await signIn(a, ADMIN);
    const optouts = await get(a, onA, '/optouts');
    assert.ok(optouts.body.includes(CALLER), 'node A lists the caller as opted out');
    assert.match((await get(a, onA, `/consent?phone=${encodeURIComponent(CALLER)}`)).body, /current consent <strong[^>]*>revoked</);
  });

  test('a template saved on node B is the business node A reads; audited', async () => {
    const cookie = await signIn(b, ADMIN);
    const page = await get(b, cookie, '/businesses/1');
    const res = await b.inject(form(cookie, '/businesses/1/templates', { _csrf: csrfOf(page.body), key: 'complete', text: '{business}: all done.' }));
    assert.equal(res.statusCode, 303, res.body);
    const onA = await signIn(a, ADMIN);
    assert.match((await get(a, onA, '/businesses/1')).body, /\{business\}: all done\./);
    const row = (await fx.pool.query<{ templates_json: string }>('SELECT templates_json FROM businesses WHERE id = 1')).rows[0]!;
    assert.equal(JSON.parse(row.templates_json).complete, '{business}: all done.');
    const audit = (await fx.pool.query('SELECT action, target, detail FROM console_audit ORDER BY id DESC LIMIT 1')).rows[0];
    assert.deepEqual(audit, { action: 'template', target: 'business:1/complete', detail: '{business}: all done.' });
  });
});

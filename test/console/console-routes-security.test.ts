import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { SMS_FOOTER } from '../../src/domain/consent-script.ts';
import { ADMIN, CALLER, VIEWER, startConsoleFixture, type ConsoleFixture } from './console-fixture.ts';

/**
 * The console's security rules, on fastify's own route table (src/http/README.md "Public routes"):
 * every route needs a session except these. A route added later is enumerated here too, so it cannot
 * slip past the sign-in unnoticed. /readyz and /metrics are machine endpoints: the bearer token guards
 * them (open on loopback without one, as before the console).
 */
const PUBLIC = new Set(['GET /healthz', 'HEAD /healthz', 'GET /login', 'HEAD /login', 'POST /login']);
const TOKEN_GUARDED = new Set(['GET /readyz', 'HEAD /readyz', 'GET /metrics', 'HEAD /metrics']);
const isPublicOptIn = (url: string): boolean => url.startsWith('/optin/');
const TOKEN = 'console-security-token';

interface Jar {
  cookie: string;
}

function cookieOf(res: { headers: Record<string, unknown> }): string | undefined {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? set : typeof set === 'string' ? [set] : [];
  const c = all.find((x: string) => x.startsWith('ck_session='));
  return c?.split(';')[0];
}

function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page carries a CSRF token');
  return m[1]!;
}

async function signIn(app: FastifyInstance, who: { username: string; password: string }, remoteAddress = '127.0.0.1'): Promise<Jar> {
  const page = await app.inject({ method: 'GET', url: '/login', remoteAddress });
  const jar = { cookie: cookieOf(page) ?? '' };
  assert.ok(jar.cookie, 'the sign-in page starts a session for its CSRF secret');
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    headers: { cookie: jar.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfOf(page.body), username: who.username, password: who.password, next: '/' }).toString(),
  });
  assert.equal(res.statusCode, 303, `sign-in of ${who.username} succeeds`);
  const after = cookieOf(res);
  assert.ok(after && after !== jar.cookie, 'signing in issues a new session id');
  return { cookie: after };
}

async function get(app: FastifyInstance, jar: Jar, url: string) {
  return app.inject({ method: 'GET', url, headers: { cookie: jar.cookie } });
}

async function postForm(app: FastifyInstance, jar: Jar, url: string, form: Record<string, string>) {
  return app.inject({ method: 'POST', url, headers: { cookie: jar.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });
}

describe('console security (fastify inject)', () => {
  let fx: ConsoleFixture;
  let app: FastifyInstance;
  before(async () => {
    fx = await startConsoleFixture({ listen: false, token: TOKEN });
    app = fx.server.app;
  });
  after(async () => fx.close());

  test('no route in the table answers without a session, except the sign-in page, /healthz, /optin/* and the token-guarded probes', async () => {
    const routes = await fx.server.routeTable();
    assert.ok(routes.length >= 20, `the route table lists the console's routes (${routes.length})`);
    const sample = (url: string): string =>
      url.replace(':id', String(fx.callId)).replace(':kind', 'answer.wav').replace('*', 'x');
    for (const { method, url } of routes) {
      const key = `${method} ${url}`;
      if (method === 'OPTIONS') continue;
      const res = await app.inject({ method: method as 'GET', url: sample(url) });
      if (PUBLIC.has(key) || isPublicOptIn(url)) {
        assert.ok(res.statusCode < 400 || key === 'POST /login', `${key} is public (${res.statusCode})`);
        continue;
      }
      if (TOKEN_GUARDED.has(key)) {
        assert.equal(res.statusCode, 401, `${key} needs the bearer token`);
        continue;
      }
      if (method === 'GET' || method === 'HEAD') {
        assert.equal(res.statusCode, 303, `${key} redirects to the sign-in without a session (got ${res.statusCode})`);
        assert.match(String(res.headers.location), /^\/login\?next=/, `${key} redirects to /login`);
      } else {
        assert.equal(res.statusCode, 401, `${key} is refused without a session (got ${res.statusCode})`);
      }
      assert.ok(!res.body.includes(CALLER), `${key} reveals no caller without a session`);
    }
  });

  test('the public opt-in page: no session needed or made, the live script and business name, nothing personal; unknown or malformed ids are 404', async () => {
    const routes = await fx.server.routeTable();
    assert.ok(routes.some((r) => r.method === 'GET' && r.url === '/optin/:id'), 'the opt-in route is mounted beside the console');
    const page = await app.inject({ method: 'GET', url: '/optin/1' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers['set-cookie'], undefined, 'the public page starts no session');
    assert.ok(page.body.includes('Acme Plumbing'), 'the page names the business');
    assert.ok(page.body.includes('Msg &amp; data rates may apply'), 'the page carries the rates notice');
    assert.ok(!page.body.includes(CALLER) && !page.body.includes('water heater'), 'no caller data on the public page');
    for (const url of ['/optin/999', '/optin/abc', '/optin/1%20OR%201', '/optin/01']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, `${url} is not a business page`);
    }
  });

  test('recordings are served by call id and kind only, each from its own call; no path from the request reaches the disk', async () => {
    const jar = await signIn(app, VIEWER);
    const mine = await get(app, jar, `/calls/${fx.callId}/recordings/answer.wav`);
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.headers['content-type'], 'audio/wav');
    assert.deepEqual(mine.rawPayload, readFileSync(fx.answerWav));
    const other = await get(app, jar, `/calls/${fx.otherCallId}/recordings/answer.wav`);
    assert.equal(other.statusCode, 200);
    assert.notDeepEqual(other.rawPayload, mine.rawPayload, "another call's answer is that call's own file");
    for (const url of [
      `/calls/${fx.callId}/recordings/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/calls/${fx.callId}/recordings/ck.db`,
      `/calls/${fx.callId}/recordings/answer.wav%00`,
      '/calls/999/recordings/answer.wav',
      '/calls/0/recordings/message.wav',
      '/calls/..%2Fck.db/recordings/message.wav',
    ]) {
      const r = await get(app, jar, url);
      assert.ok(r.statusCode === 404 || r.statusCode === 400, `${url} is refused (got ${r.statusCode})`);
      assert.ok(!r.headers['content-type']?.toString().startsWith('audio/'), `${url} serves no file`);
    }
    // A call row naming a file outside the recordings directory (an imported record can) is refused.
    const rogue = fx.db
      .prepare("INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at, recording_path) VALUES ('asterisk', 'rogue', 1, '+15125550100', '5125550199', '+15125550199', 1, ?) RETURNING id")
      .get(`${fx.dir}/../../etc/hostname`) as { id: number };
    const refused = await get(app, jar, `/calls/${rogue.id}/recordings/message.wav`);
    assert.equal(refused.statusCode, 404);
    assert.match(refused.body, /not in the recordings directory/);
  });

  test('a POST without the CSRF token is refused and changes nothing; a viewer cannot revoke; an admin can, and it is audited', async () => {
    const admin = await signIn(app, ADMIN);
    const before = fx.db.prepare('SELECT count(*) AS n FROM consent_ledger').get() as { n: number };
    const forged = await postForm(app, admin, '/consent/revoke', { phone: CALLER, business: '1', reason: 'forged' });
    assert.equal(forged.statusCode, 403, 'no token');
    const wrong = await postForm(app, admin, '/consent/revoke', { _csrf: 'not-a-token', phone: CALLER, business: '1', reason: 'forged' });
    assert.equal(wrong.statusCode, 403, 'a wrong token');
    const viewer = await signIn(app, VIEWER);
    const page = await get(app, viewer, `/consent?phone=${encodeURIComponent(CALLER)}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('action="/consent/revoke"'), 'a viewer is not offered the revoke form');
    const byViewer = await postForm(app, viewer, '/consent/revoke', { _csrf: csrfOf(page.body), phone: CALLER, business: '1', reason: 'viewer tries' });
    assert.equal(byViewer.statusCode, 403);
    const evidence = await get(app, viewer, '/consent/records/1/evidence.tar');
    assert.equal(evidence.statusCode, 403, 'a viewer cannot download evidence');
    assert.equal((fx.db.prepare('SELECT count(*) AS n FROM consent_ledger').get() as { n: number }).n, before.n, 'nothing was appended');

    const adminPage = await get(app, admin, `/consent?phone=${encodeURIComponent(CALLER)}`);
    const ok = await postForm(app, admin, '/consent/revoke', { _csrf: csrfOf(adminPage.body), phone: CALLER, business: '1', reason: 'asked by phone' });
    assert.equal(ok.statusCode, 303);
    const last = fx.db.prepare('SELECT event, method, source FROM consent_ledger ORDER BY id DESC LIMIT 1').get() as { event: string; method: string; source: string };
    assert.deepEqual(last, { event: 'revoked', method: 'admin', source: `console:${ADMIN.username}: asked by phone` });
    const audit = fx.db.prepare('SELECT username, action, target FROM console_audit ORDER BY id DESC LIMIT 1').get();
    assert.deepEqual(audit, { username: ADMIN.username, action: 'revoke', target: `${CALLER}@business:1` });
    assert.throws(() => fx.db.prepare('DELETE FROM console_audit').run(), /append-only/);
  });

  test('templates: the preview is the exact text with its SMS count; an admin saves (audited), a viewer cannot, a bad placeholder is refused', async () => {
    // Sign-ins from their own address: the limit counts every attempt per address, successful ones too.
    const viewer = await signIn(app, VIEWER, '127.0.0.3');
    const preview = await get(app, viewer, `/businesses/1/preview?key=complete&text=${encodeURIComponent('{business}: all done.')}`);
    assert.equal(preview.statusCode, 200);
    // What a caller would get: the name filled in and the compliance footer, as renderTemplate makes it.
    assert.deepEqual(preview.json(), { ok: true, text: `Acme Plumbing: all done. ${SMS_FOOTER}`, parts: 1, encoding: 'gsm7' });
    const long = await get(app, viewer, `/businesses/1/preview?key=complete&text=${encodeURIComponent('x'.repeat(200))}`);
    assert.equal(long.json().parts, 2, 'a text past one SMS counts two');
    const page = await get(app, viewer, '/businesses/1');
    const byViewer = await postForm(app, viewer, '/businesses/1/templates', { _csrf: csrfOf(page.body), key: 'complete', text: '{business}: viewer edit' });
    assert.equal(byViewer.statusCode, 403);

    const admin = await signIn(app, ADMIN, '127.0.0.3');
    const adminPage = await get(app, admin, '/businesses/1');
    const token = csrfOf(adminPage.body);
    const bad = await postForm(app, admin, '/businesses/1/templates', { _csrf: token, key: 'complete', text: 'Done, {firstname}!' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /needs values for: firstname/);
    const ok = await postForm(app, admin, '/businesses/1/templates', { _csrf: token, key: 'complete', text: '{business}: all done.' });
    assert.equal(ok.statusCode, 303);
    const row = fx.db.prepare('SELECT templates_json FROM businesses WHERE id = 1').get() as { templates_json: string };
    assert.equal(JSON.parse(row.templates_json).complete, '{business}: all done.');
    const audit = fx.db.prepare('SELECT username, action, target, detail FROM console_audit ORDER BY id DESC LIMIT 1').get();
    assert.deepEqual(audit, { username: ADMIN.username, action: 'template', target: 'business:1/complete', detail: '{business}: all done.' });
  });

  test('templates: a text breaking a carrier rule is refused naming the rule, saved only when forced (audited as forced); the compliance page shows the broken rule', async () => {
    const admin = await signIn(app, ADMIN, '127.0.0.4');
    const token = csrfOf((await get(app, admin, '/businesses/1')).body);
    const before = (fx.db.prepare('SELECT templates_json FROM businesses WHERE id = 1').get() as { templates_json: string }).templates_json;
    const refused = await postForm(app, admin, '/businesses/1/templates', { _csrf: token, key: 'complete', text: 'All done, thanks.' });
    assert.equal(refused.statusCode, 400, 'a compliance refusal is the admin\'s input, not a server error');
    assert.match(refused.body, /text-brand/, 'the refusal names the rule');
    assert.equal((fx.db.prepare('SELECT templates_json FROM businesses WHERE id = 1').get() as { templates_json: string }).templates_json, before, 'nothing saved');
    const clean = await get(app, admin, '/compliance');
    assert.equal(clean.statusCode, 200);
    assert.ok(!clean.body.includes('text-brand'), 'no broken rule before the forced save');
    const forced = await postForm(app, admin, '/businesses/1/templates', { _csrf: token, key: 'complete', text: 'All done, thanks.', force: 'on' });
    assert.equal(forced.statusCode, 303);
    const audit = fx.db.prepare('SELECT action, detail FROM console_audit ORDER BY id DESC LIMIT 1').get();
    assert.deepEqual(audit, { action: 'template', detail: 'forced: All done, thanks.' });
    const broken = await get(app, admin, '/compliance');
    assert.match(broken.body, /text-brand: template complete/, 'the compliance page lists the rule the forced template breaks');
    await postForm(app, admin, '/businesses/1/templates', { _csrf: token, key: 'complete', text: '{business}: all done.' });
  });

  test('sign-in: a wrong password is refused, the sixth attempt in a minute is rate limited; the cookie is HttpOnly and SameSite=Strict', async () => {
    const page = await app.inject({ method: 'GET', url: '/login', remoteAddress: '127.0.0.9' });
    const setCookie = String(page.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.doesNotMatch(setCookie, /Secure/, 'plain HTTP on loopback: no Secure flag, or the browser would drop the cookie');
    const cookie = cookieOf(page)!;
    const token = csrfOf(page.body);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '127.0.0.9',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, username: ADMIN.username, password: `wrong ${i}` }).toString(),
      });
      codes.push(r.statusCode);
      assert.ok(!r.body.includes('wrong '), 'the password is never echoed');
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 429]);
  });

  test('a signed-out session is gone from the database', async () => {
    const jar = await signIn(app, VIEWER, '127.0.0.2');
    assert.equal((await get(app, jar, '/calls')).statusCode, 200);
    const page = await get(app, jar, '/calls');
    const out = await postForm(app, jar, '/logout', { _csrf: csrfOf(page.body) });
    assert.equal(out.statusCode, 303);
    assert.equal((await get(app, jar, '/calls')).statusCode, 303, 'the old cookie no longer signs in');
  });
});

describe('console behind a TLS proxy (admin.trustProxy)', () => {
  test('the session cookie is Secure (and still SameSite=Strict, HttpOnly) when the console sits behind the TLS proxy', async () => {
    const fx = await startConsoleFixture({ listen: false, trustProxy: true });
    try {
      const viaTls = await fx.server.app.inject({ method: 'GET', url: '/login', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-proto': 'https' } });
      const setCookie = String(viaTls.headers['set-cookie']);
      assert.match(setCookie, /; Secure/);
      assert.match(setCookie, /SameSite=Strict/);
      assert.match(setCookie, /HttpOnly/);
    } finally {
      await fx.close();
    }
  });
});

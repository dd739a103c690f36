/**
 * The console's revocation (POST /consent/revoke) is `callkeeper consent revoke`'s use case,
 * `revokeConsentAtomically` (src/app/consent/revoke-consent.ts): the `revoked` record and the cancelling
 * of the consumer's queued texts commit in one transaction; another consumer's texts stay queued.
 * Through the console's HTTP routes (fastify inject), on the fixture's database (one business, a queued
 * first reply to each of two callers: console-fixture.ts).
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ADMIN, CALLER, OTHER_CALLER, startConsoleFixture, type ConsoleFixture } from './console-fixture.ts';
import { cookieOf, csrfOf, form } from './console-inject.ts';

/** Signs the admin in and posts the revoke form for CALLER, as the consent page offers it. */
async function revokeCaller(app: FastifyInstance) {
  const login = await app.inject({ method: 'GET', url: '/login' });
  const signedIn = await app.inject(form(cookieOf(login), '/login', { _csrf: csrfOf(login.body), username: ADMIN.username, password: ADMIN.password, next: '/' }));
  assert.equal(signedIn.statusCode, 303, 'the admin signs in');
  const cookie = cookieOf(signedIn);
  const page = await app.inject({ method: 'GET', url: `/consent?phone=${encodeURIComponent(CALLER)}`, headers: { cookie } });
  return app.inject(form(cookie, '/consent/revoke', { _csrf: csrfOf(page.body), phone: CALLER, business: '1', reason: 'asked by phone' }));
}

const textsTo = (fx: ConsoleFixture, to: string) =>
  fx.db.prepare('SELECT state, state_reason AS reason FROM outbound_messages WHERE recipient = ? ORDER BY id').all(to) as Array<{ state: string; reason: string | null }>;
const ledgerRows = (fx: ConsoleFixture) => (fx.db.prepare('SELECT count(*) AS n FROM consent_ledger').get() as { n: number }).n;

let fx: ConsoleFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

test("a revocation from the console cancels that consumer's queued texts for the business, and only theirs", async () => {
  fx = await startConsoleFixture({ listen: false });
  assert.deepEqual(textsTo(fx, CALLER).map((t) => t.state), ['queued'], 'the fixture queues a text to the caller');
  assert.deepEqual(textsTo(fx, OTHER_CALLER).map((t) => t.state), ['queued']);

  const res = await revokeCaller(fx.server.app);
  assert.equal(res.statusCode, 303, res.body);
  const record = fx.db.prepare("SELECT id, source FROM consent_ledger WHERE consumer = ? AND event = 'revoked'").get(CALLER) as { id: number; source: string };
  assert.equal(record.source, `console:${ADMIN.username}: asked by phone`);
  // cancelQueued's state, its reason naming the record (revoke-consent.ts).
  assert.deepEqual(textsTo(fx, CALLER), [{ state: 'cancelled', reason: `consent revoked by admin (record ${record.id})` }]);
  assert.deepEqual(textsTo(fx, OTHER_CALLER).map((t) => t.state), ['queued'], "another consumer's text stays queued");
});

test('the record and the cancelling commit together: a cancelling that fails leaves no revoked record behind', async () => {
  fx = await startConsoleFixture({ listen: false });
  // The store refuses to cancel (as a full disk or a lost lock would fail the UPDATE mid-transaction).
  fx.db.exec(`CREATE TRIGGER refuse_cancel BEFORE UPDATE OF state ON outbound_messages WHEN NEW.state = 'cancelled'
              BEGIN SELECT RAISE(ABORT, 'cancel refused by the test'); END`);
  const before = ledgerRows(fx);
  const res = await revokeCaller(fx.server.app);
  assert.ok(res.statusCode >= 500, `the revocation is answered as failed (${res.statusCode})`);
  assert.equal(ledgerRows(fx), before, 'no revoked record without its cancelling');
  assert.deepEqual(textsTo(fx, CALLER).map((t) => t.state), ['queued']);
  assert.equal(fx.db.inTransaction, false, 'the transaction was rolled back, not left open');
});

/**
 * The ConsoleAccounts and ConsoleSessionStore contract (src/domain/ports/console-accounts.ts): the web
 * console's users, audit log and sessions, on every durable store (SQLite, PostgreSQL). Guarantees checked:
 * - a user reads back by name and id with the stored password string; names are unique and compared
 *   without case (a second "DANA" is INPUT.INVALID, "Dana" signs in as "dana"); the list is by name;
 * - `remove` and `setPassword` end the user's sessions (another user's stay); an unknown name is
 *   INPUT.NOT_FOUND for both;
 * - the audit log reads back newest first with growing ids, and refuses UPDATE and DELETE (`edit`:
 *   the harness tries both in SQL);
 * - a session reads back until it expires, is gone once read expired, is replaced by a later `set` of
 *   the same id, and is gone after `destroy`; a `set` drops other expired sessions;
 * - the cookie key is made once: later calls return the first one, whatever `make` would give.
 *
 * Every call on the stores is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConsoleAccounts, ConsoleSessionStore } from '../../src/domain/ports/console-accounts.ts';
import { openHarness, rejectsWithCode, type AsyncPort, type Awaitable, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface ConsoleAccountsHarness extends Teardown {
  readonly accounts: AsyncPort<ConsoleAccounts>;
  readonly sessions: AsyncPort<ConsoleSessionStore>;
  /** Sets the clock the session store reads when it drops expired sessions. */
  setNow(ms: number): void;
  /** Tries `UPDATE` then `DELETE` of audit row `id` in SQL; resolves with what each did (`refused` or `changed`). */
  editAudit(id: number): Awaitable<{ update: 'refused' | 'changed'; delete: 'refused' | 'changed' }>;
  /** Session ids in the table, sorted. */
  sessionIds(): Awaitable<string[]>;
}

const T0 = Date.UTC(2026, 11, 1, 15, 0, 0);
const HOUR = 3_600_000;

export function runConsoleAccountsContract(name: string, factory: HarnessFactory<ConsoleAccountsHarness>): void {
  describe(`ConsoleAccounts contract: ${name}`, () => {
    test('users: read back by name (any case) and id, unique without case, listed by name', async (t) => {
      const h = await openHarness(t, factory);
      const dana = await h.accounts.addUser({ username: 'dana', role: 'admin', passwordHash: 'scrypt$a', at: T0 });
      assert.deepEqual(dana, { id: dana.id, username: 'dana', role: 'admin', createdAt: T0 });
      const vic = await h.accounts.addUser({ username: 'Vic', role: 'viewer', passwordHash: 'scrypt$b', at: T0 + 1 });
      assert.ok(vic.id > dana.id, 'ids grow');
      await rejectsWithCode(() => h.accounts.addUser({ username: 'DANA', role: 'viewer', passwordHash: 'x', at: T0 }), 'INPUT.INVALID');
      assert.deepEqual(await h.accounts.findForSignIn('Dana'), { user: dana, passwordHash: 'scrypt$a' });
      assert.equal(await h.accounts.findForSignIn('nobody'), undefined);
      assert.deepEqual(await h.accounts.byId(vic.id), vic);
      assert.equal(await h.accounts.byId(vic.id + 100), undefined);
      const abe = await h.accounts.addUser({ username: 'abe', role: 'viewer', passwordHash: 'scrypt$c', at: T0 });
      assert.deepEqual((await h.accounts.list()).map((u) => u.username), [abe.username, 'dana', 'Vic']);
    });

    test('remove and setPassword end that user\'s sessions only; an unknown name is INPUT.NOT_FOUND', async (t) => {
      const h = await openHarness(t, factory);
      h.setNow(T0);
      const dana = await h.accounts.addUser({ username: 'dana', role: 'admin', passwordHash: 'scrypt$a', at: T0 });
      const vic = await h.accounts.addUser({ username: 'vic', role: 'viewer', passwordHash: 'scrypt$b', at: T0 });
      await h.sessions.set('s-dana', '{"userId":1}', dana.id, T0 + HOUR);
      await h.sessions.set('s-vic', '{"userId":2}', vic.id, T0 + HOUR);
      await h.sessions.set('s-anon', '{}', null, T0 + HOUR);
      const changed = await h.accounts.setPassword('DANA', 'scrypt$new', T0 + 5);
      assert.equal(changed.id, dana.id);
      assert.equal((await h.accounts.findForSignIn('dana'))?.passwordHash, 'scrypt$new');
      assert.deepEqual(await h.sessionIds(), ['s-anon', 's-vic']);
      const removed = await h.accounts.remove('Vic');
      assert.equal(removed.id, vic.id);
      assert.equal(await h.accounts.byId(vic.id), undefined);
      assert.deepEqual(await h.sessionIds(), ['s-anon']);
      await rejectsWithCode(() => h.accounts.remove('vic'), 'INPUT.NOT_FOUND');
      await rejectsWithCode(() => h.accounts.setPassword('nobody', 'x', T0), 'INPUT.NOT_FOUND');
    });

    test('the audit log: newest first, growing ids, append-only', async (t) => {
      const h = await openHarness(t, factory);
      const a = await h.accounts.audit({ at: T0, username: 'dana', action: 'revoke', target: '+15125550123@business:1', detail: 'ledger record 4' });
      const b = await h.accounts.audit({ at: T0 + 1, username: 'dana', action: 'export', target: 'record:4', detail: '' });
      assert.ok(b.id > a.id);
      assert.deepEqual(await h.accounts.recentAudit(10), [b, a]);
      assert.deepEqual(await h.accounts.recentAudit(1), [b]);
      assert.deepEqual(await h.editAudit(a.id), { update: 'refused', delete: 'refused' });
      assert.deepEqual(await h.accounts.recentAudit(10), [b, a]);
    });

    test('sessions: read until they expire, replaced by id, destroyed; a write drops expired ones', async (t) => {
      const h = await openHarness(t, factory);
      h.setNow(T0);
      await h.sessions.set('a', '{"v":1}', null, T0 + HOUR);
      await h.sessions.set('b', '{"v":2}', null, T0 + 2 * HOUR);
      assert.equal(await h.sessions.get('a', T0), '{"v":1}');
      await h.sessions.set('a', '{"v":3}', null, T0 + HOUR);
      assert.equal(await h.sessions.get('a', T0 + HOUR - 1), '{"v":3}');
      assert.equal(await h.sessions.get('a', T0 + HOUR), undefined, 'expired at its expiry');
      assert.deepEqual(await h.sessionIds(), ['b'], 'an expired session read is gone');
      await h.sessions.set('c', '{}', null, T0 + 3 * HOUR);
      h.setNow(T0 + 2 * HOUR);
      await h.sessions.set('d', '{}', null, T0 + 4 * HOUR);
      assert.deepEqual(await h.sessionIds(), ['c', 'd'], "a write drops the sessions expired by the store's clock");
      await h.sessions.destroy('c');
      assert.equal(await h.sessions.get('c', T0), undefined);
      await h.sessions.destroy('no-such-session');
      assert.deepEqual(await h.sessionIds(), ['d']);
    });

    test('the cookie key is made once and kept', async (t) => {
      const h = await openHarness(t, factory);
      const first = await h.sessions.cookieSecret(() => 'key-one');
      assert.equal(first, 'key-one');
      assert.equal(await h.sessions.cookieSecret(() => 'key-two'), 'key-one');
    });
  });
}

/**
 * `callkeeper user add|list|passwd|remove` on a PostgreSQL config (database.kind postgres, no --db): the
 * users every node's console signs in against (src/store/postgres/pg-console-accounts.ts), with the
 * output, checks and errors the commands give on SQLite (test/cli/user-command.test.ts). On a throwaway
 * cluster (test/support/pg-cluster.ts), one fresh database per test.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { signIn } from '../../src/app/console/console-users.ts';
import { PgConsoleAccounts } from '../../src/store/postgres/pg-console-accounts.ts';
import { PgConsoleSessionStore } from '../../src/store/postgres/pg-console-session-store.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { pgUrlOf } from '../support/pg-cluster.ts';
import { callkeeper } from './cli-test-harness.ts';
import { usePgCliCluster } from './pg-cli-fixture.ts';

const pgc = usePgCliCluster();

async function install(t: { after(fn: () => Promise<void>): void }) {
  const db = await pgc.freshDb(t);
  const { dir, cleanup } = tempDir('callkeeper-pg-user-');
  t.after(async () => cleanup());
  const config = join(dir, 'callkeeper.yaml');
  writeFileSync(config, `database:\n  kind: postgres\n  url: ${JSON.stringify(pgUrlOf(db.conn))}\n  path: ${JSON.stringify(join(dir, 'data', 'callkeeper.db'))}\n`);
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text, { mode: 0o600 });
    return p;
  };
  const pool = db.pool(2);
  return { run: (args: string[]) => callkeeper(['--config', config, ...args], {}), file, accounts: new PgConsoleAccounts(pool), sessions: new PgConsoleSessionStore(pool) };
}

describe('callkeeper user on a PostgreSQL config', () => {
  test('add, list, passwd (ends the sessions), remove: on the shared tables, printed as on SQLite', async (t) => {
    const ck = await install(t);
    const add = await ck.run(['user', 'add', 'dana', '--role', 'admin', '--password-file', ck.file('pw', 'correct horse battery\n')]);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout, 'added admin dana\n');
    assert.equal((await ck.run(['user', 'add', 'vic', '--role', 'viewer', '--password-file', ck.file('pv', 'viewer password 1')])).code, 0);
    const list = await ck.run(['user', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^dana\tadmin\t\d{4}-\d\d-\d\dT[\d:.]+Z\nvic\tviewer\t\d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
    const json = await ck.run(['user', 'list', '--json']);
    assert.deepEqual(json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { username: string; role: string }).role), ['admin', 'viewer']);

    const stored = (await ck.accounts.findForSignIn('dana'))!.passwordHash;
    assert.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.equal((await signIn(ck.accounts, 'dana', 'correct horse battery'))?.username, 'dana');
    assert.equal(await signIn(ck.accounts, 'dana', 'correct horse batterY'), null);

    const vic = (await ck.accounts.findForSignIn('vic'))!.user;
    await ck.sessions.set('sess-1', '{}', vic.id, Date.now() + 60_000);
    const pw = await ck.run(['user', 'passwd', 'vic', '--password-file', ck.file('pv2', 'second password 456')]);
    assert.equal(pw.code, 0, pw.stderr);
    assert.equal(pw.stdout, 'password changed for vic; their sessions ended\n');
    assert.equal(await ck.sessions.get('sess-1', Date.now()), undefined, "the user's sessions ended");
    assert.equal(await signIn(ck.accounts, 'vic', 'viewer password 1'), null);
    assert.ok(await signIn(ck.accounts, 'vic', 'second password 456'));
    const rm = await ck.run(['user', 'remove', 'vic']);
    assert.equal(rm.stdout, 'removed vic\n');
    assert.deepEqual((await ck.accounts.list()).map((u) => u.username), ['dana']);
  });

  test('bad input is one line and exit 1, as on SQLite: short password, unknown role, a name taken in any case, unknown user', async (t) => {
    const ck = await install(t);
    const short = await ck.run(['user', 'add', 'dana', '--role', 'admin', '--password-file', ck.file('s', 'short')]);
    assert.deepEqual([short.code, short.stderr], [1, 'callkeeper: the password must be at least 12 characters\n']);
    const role = await ck.run(['user', 'add', 'dana', '--role', 'root', '--password-file', ck.file('p', 'long enough password')]);
    assert.deepEqual([role.code, role.stderr], [1, 'callkeeper: --role must be one of viewer, admin\n']);
    assert.equal((await ck.run(['user', 'add', 'dana', '--role', 'admin', '--password-file', ck.file('p2', 'long enough password')])).code, 0);
    const dup = await ck.run(['user', 'add', 'DANA', '--role', 'viewer', '--password-file', ck.file('p3', 'long enough password')]);
    assert.deepEqual([dup.code, dup.stderr], [1, 'callkeeper: user DANA exists (use: callkeeper user passwd)\n']);
    const gone = await ck.run(['user', 'remove', 'nobody']);
    assert.deepEqual([gone.code, gone.stderr], [1, 'callkeeper: no user nobody\n']);
    const nopw = await ck.run(['user', 'passwd', 'nobody', '--password-file', ck.file('p4', 'long enough password')]);
    assert.deepEqual([nopw.code, nopw.stderr], [1, 'callkeeper: no user nobody\n']);
  });
});

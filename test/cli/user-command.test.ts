import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signIn } from '../../src/app/console/console-users.ts';
import { SqliteConsoleAccounts } from '../../src/store/sqlite-console-accounts.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

function setup(t: { after(fn: () => void): void }) {
  const { dir, cleanup } = tempDir('callkeeper-user-cli-');
  t.after(cleanup);
  const env = { CALLKEEPER_DB: join(dir, 'ck.db'), CALLKEEPER_CONFIG: '/dev/null' };
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text, { mode: 0o600 });
    return p;
  };
  return { dir, env, file };
}

describe('callkeeper user add | list | passwd | remove', () => {
  test('a user added from a password file signs in with that password only; the database holds an scrypt string', async (t) => {
    const { env, file } = setup(t);
    const add = await callkeeper(['user', 'add', 'dana', '--role', 'admin', '--password-file', file('pw', 'correct horse battery\n')], env);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout, 'added admin dana\n');
    const list = await callkeeper(['user', 'list', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      list.stdout.trim().split('\n').map((l) => {
        const u = JSON.parse(l);
        return [u.username, u.role];
      }),
      [['dana', 'admin']],
    );
    const db = openDatabase(env.CALLKEEPER_DB);
    try {
      const accounts = new SqliteConsoleAccounts(db);
      const stored = accounts.findForSignIn('dana')!.passwordHash;
      assert.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      assert.ok(!stored.includes('correct horse'));
      assert.equal((await signIn(accounts, 'dana', 'correct horse battery'))?.username, 'dana');
      assert.equal(await signIn(accounts, 'dana', 'correct horse batterY'), null);
      assert.equal(await signIn(accounts, 'nobody', 'correct horse battery'), null);
    } finally {
      db.close();
    }
  });

  test('passwd replaces the password and ends the sessions; remove deletes the user', async (t) => {
    const { env, file } = setup(t);
    assert.equal((await callkeeper(['user', 'add', 'vic', '--role', 'viewer', '--password-file', file('a', 'first password 123')], env)).code, 0);
    const db = openDatabase(env.CALLKEEPER_DB);
    try {
      const accounts = new SqliteConsoleAccounts(db);
      accounts.set('sess-1', '{}', accounts.findForSignIn('vic')!.user.id, Date.now() + 60_000);
      const pw = await callkeeper(['user', 'passwd', 'vic', '--password-file', file('b', 'second password 456')], env);
      assert.equal(pw.code, 0, pw.stderr);
      assert.equal(accounts.get('sess-1', Date.now()), undefined, "the user's sessions ended");
      assert.equal(await signIn(accounts, 'vic', 'first password 123'), null);
      assert.ok(await signIn(accounts, 'vic', 'second password 456'));
      const rm = await callkeeper(['user', 'remove', 'vic'], env);
      assert.equal(rm.stdout, 'removed vic\n');
      assert.equal(accounts.list().length, 0);
    } finally {
      db.close();
    }
  });

  test('bad input is one line and exit 1: short password, unknown role, duplicate name, unknown user', async (t) => {
    const { env, file } = setup(t);
    const short = await callkeeper(['user', 'add', 'dana', '--role', 'admin', '--password-file', file('s', 'short')], env);
    assert.deepEqual([short.code, short.stderr], [1, 'callkeeper: the password must be at least 12 characters\n']);
    const role = await callkeeper(['user', 'add', 'dana', '--role', 'root', '--password-file', file('p', 'long enough password')], env);
    assert.deepEqual([role.code, role.stderr], [1, 'callkeeper: --role must be one of viewer, admin\n']);
    assert.equal((await callkeeper(['user', 'add', 'dana', '--role', 'admin', '--password-file', file('p2', 'long enough password')], env)).code, 0);
    const dup = await callkeeper(['user', 'add', 'DANA', '--role', 'viewer', '--password-file', file('p3', 'long enough password')], env);
    assert.deepEqual([dup.code, dup.stderr], [1, 'callkeeper: user DANA exists (use: callkeeper user passwd)\n']);
    const gone = await callkeeper(['user', 'remove', 'nobody'], env);
    assert.deepEqual([gone.code, gone.stderr], [1, 'callkeeper: no user nobody\n']);
    const missing = await callkeeper(['user', 'add', 'eve', '--role', 'admin', '--password-file', '/nonexistent/pw'], env);
    assert.equal(missing.code, 1);
    assert.ok(!missing.stderr.includes('\n    at '), 'no stack trace');
  });
});

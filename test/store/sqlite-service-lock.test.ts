import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '../../src/domain/errors.ts';
import { SqliteServiceLock } from '../../src/store/sqlite-service-lock.ts';
import { tempDir } from './store-test-helpers.ts';

const HOLDER = fileURLToPath(new URL('./fixtures/hold-service-lock.ts', import.meta.url));
/** A guard against a hung child, not a timing assertion. */
const GUARD_MS = 60_000;

describe('SqliteServiceLock: one serve per database', () => {
  test('a second holder is refused with who holds it; after release the next one gets it', (t) => {
    const { dir, cleanup } = tempDir('ck-lock-');
    t.after(cleanup);
    const db = join(dir, 'ck.db');
    const first = SqliteServiceLock.acquire(db, { pid: process.pid, host: hostname(), startedAt: Date.UTC(2026, 4, 26, 14, 0, 0) });
    assert.throws(
      () => SqliteServiceLock.acquire(db),
      (e) =>
        isAppError(e, 'STORE.SERVICE_RUNNING') &&
        e.message === `callkeeper serve is already running on ${db} (pid ${process.pid} on ${hostname()}, started 2026-05-26T14:00:00.000Z); one service per database: stop it first`,
    );
    assert.equal(existsSync(db), false, 'the lock touched the database itself');
    first.release();
    assert.equal(existsSync(`${db}.serve-lock.json`), false, 'release left the holder file');
    const second = SqliteServiceLock.acquire(db);
    assert.equal(JSON.parse(readFileSync(`${db}.serve-lock.json`, 'utf8')).pid, process.pid);
    second.release();
  });

  test('a holder file left by a dead process does not hold anything', (t) => {
    const { dir, cleanup } = tempDir('ck-lock-');
    t.after(cleanup);
    const db = join(dir, 'ck.db');
    writeFileSync(`${db}.serve-lock.json`, JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), startedAt: 0 }));
    const lock = SqliteServiceLock.acquire(db);
    assert.equal(JSON.parse(readFileSync(`${db}.serve-lock.json`, 'utf8')).pid, process.pid);
    lock.release();
  });

  test('the lock dies with its process: held by a child, refused here; kill -9 the child and it is free', async (t) => {
    const { dir, cleanup } = tempDir('ck-lock-');
    t.after(cleanup);
    const db = join(dir, 'ck.db');
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, db], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => child.kill('SIGKILL'));
    const exited = once(child, 'exit');
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the child did not take the lock within ${GUARD_MS} ms`)), GUARD_MS);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`the child exited before taking the lock: ${out}`)));
    });
    assert.equal(out, `held ${child.pid}\n`);
    assert.throws(() => SqliteServiceLock.acquire(db), (e) => isAppError(e, 'STORE.SERVICE_RUNNING') && e.message.includes(`(pid ${child.pid} on ${hostname()}, started `));
    child.kill('SIGKILL');
    await exited;
    const lock = SqliteServiceLock.acquire(db);
    lock.release();
  });
});

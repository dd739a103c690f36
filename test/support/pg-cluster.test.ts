import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { findPgBin, startPgCluster } from './pg-cluster.ts';

test('a throwaway cluster starts on a socket in its temp dir, gives each caller its own database, and is gone after stop', async () => {
  const cluster = await startPgCluster();
  let stopped = false;
  try {
    const a = await cluster.createDatabase();
    const b = await cluster.createDatabase();
    assert.notEqual(a.database, b.database);
    const ca = new pg.Client(a);
    await ca.connect();
    try {
      await ca.query('CREATE TABLE t (x int)');
      await ca.query('INSERT INTO t VALUES (1)');
      const { rows } = await ca.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      assert.equal(Math.floor(Number(rows[0]?.v) / 10_000), cluster.major);
    } finally {
      await ca.end();
    }
    const cb = new pg.Client(b);
    await cb.connect();
    try {
      const { rows } = await cb.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 't'");
      assert.equal(rows[0]?.n, '0', 'a second database does not see the first one\'s tables');
    } finally {
      await cb.end();
    }
    await cluster.stop();
    stopped = true;
    assert.equal(existsSync(cluster.dir), false, 'the temp dir (data, socket) is removed');
    await cluster.stop();
  } finally {
    if (!stopped) await cluster.stop();
  }
});

test('without the server binaries the cluster fails with one line saying what to install, and picks the newest major when several are there', (t) => {
  const lib = mkdtempSync(join(tmpdir(), 'ck-pglib-'));
  t.after(() => rmSync(lib, { recursive: true, force: true }));
  assert.throws(() => findPgBin(lib), (e: unknown) => e instanceof Error && /install the Debian package "postgresql"/.test(e.message) && !e.message.includes('\n'));
  for (const major of ['13', '15', '9']) {
    mkdirSync(join(lib, major, 'bin'), { recursive: true });
    writeFileSync(join(lib, major, 'bin', 'postgres'), '');
  }
  mkdirSync(join(lib, '16', 'bin'), { recursive: true }); // a major without a server binary (client only)
  assert.deepEqual(findPgBin(lib), { major: 15, bin: join(lib, '15', 'bin') });
});

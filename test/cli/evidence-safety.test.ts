import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

const SECRET = 'smpp-password-do-not-copy-7731';

/**
 * A ledger whose records name, as their answer audio: a recording inside the recordings directory, a
 * 0600 secret file outside it, the live database, and a link inside the recordings directory that
 * points at the secret. Records are added through `consent import`, as an installer's file would be.
 */
async function setUp(t: { after(fn: () => void): void }) {
  const { dir, cleanup } = tempDir('ck-evidence-');
  t.after(cleanup);
  const recordings = join(dir, 'recordings');
  mkdirSync(join(recordings, '2026-05-26'), { recursive: true });
  const good = join(recordings, '2026-05-26', 'answer-1.wav');
  writeFileSync(good, Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt real answer'));
  const secret = join(dir, 'smpp-password');
  writeFileSync(secret, `${SECRET}\n`, { mode: 0o600 });
  const link = join(recordings, '2026-05-26', 'answer-2.wav');
  symlinkSync(secret, link);
  const dbPath = join(dir, 'ck.db');
  const db = openDatabase(dbPath);
  migrate(db);
  new SqliteBusinessDirectory(db).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  db.close();
  const env = { CALLKEEPER_DB: dbPath, CALLKEEPER_RECORDINGS__DIR: recordings };
  const line = (consumer: string, audio: string): string =>
    JSON.stringify({ event: 'granted', business_id: 1, consumer, at: '2026-05-26T14:00:00Z', did: '+15125550100', script_text: 'ok?', transcript: 'yes', audio_path: audio });
  const ndjson = join(dir, 'import.ndjson');
  writeFileSync(ndjson, [line('+15125550101', good), line('+15125550102', secret), line('+15125550103', dbPath), line('+15125550104', link)].join('\n'));
  const imported = await callkeeper(['consent', 'import', ndjson], env);
  assert.equal(imported.code, 0, imported.stderr);
  return { dir, recordings, good, secret, dbPath, env };
}

function manifestOf(out: string): { files: { name: string }[]; refused: string[]; missing: string[] } {
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
}

describe('consent evidence copies only recordings and never writes through a link', () => {
  test('audio outside the recordings directory (a secret file, the live database, a link leading out) is refused, not copied', async (t) => {
    const { dir, good, env } = await setUp(t);
    const ok = join(dir, 'ev-1');
    const r1 = await callkeeper(['consent', 'evidence', '1', '--out', ok], env);
    assert.equal(r1.code, 0, r1.stderr);
    assert.deepEqual(readFileSync(join(ok, 'answer-audio.wav')), readFileSync(good));
    assert.deepEqual(manifestOf(ok).refused, []);

    for (const id of [2, 3, 4]) {
      const out = join(dir, `ev-${id}`);
      const r = await callkeeper(['consent', 'evidence', String(id), '--out', out], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^refused: answer-audio(\.wav|\.db)? \(not a file in the recordings directories; not copied\)$/m, `record ${id}`);
      const m = manifestOf(out);
      assert.equal(m.refused.length, 1, `record ${id}`);
      assert.ok(!m.files.some((f) => f.name.startsWith('answer-audio')), `record ${id} copied its audio`);
      assert.deepEqual(readdirSync(out).sort(), ['manifest.json', 'record.json', 'script.txt', 'transcript.txt'], `record ${id}`);
      for (const f of readdirSync(out)) assert.ok(!readFileSync(join(out, f), 'utf8').includes(SECRET), `${f} of record ${id} holds the secret`);
    }
  });

  test('a link planted in --out is never followed: a non-empty directory, or --out itself a link, is refused and the target kept', async (t) => {
    const { dir, env } = await setUp(t);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const planted = join(dir, 'planted');
    mkdirSync(planted);
    symlinkSync(victim, join(planted, 'record.json'));
    const r = await callkeeper(['consent', 'evidence', '1', '--out', planted], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `callkeeper: ${planted} is not empty; give a new or empty directory\n`);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');

    const dangling = join(dir, 'dangling');
    mkdirSync(dangling);
    symlinkSync(join(dir, 'would-be-created'), join(dangling, 'manifest.json'));
    assert.equal((await callkeeper(['consent', 'evidence', '1', '--out', dangling], env)).code, 1);
    assert.equal(existsSync(join(dir, 'would-be-created')), false);

    const realDir = join(dir, 'elsewhere');
    mkdirSync(realDir);
    const linkDir = join(dir, 'link-out');
    symlinkSync(realDir, linkDir);
    const l = await callkeeper(['consent', 'evidence', '1', '--out', linkDir], env);
    assert.equal(l.stderr, `callkeeper: ${linkDir} is a symbolic link; give a new or empty directory\n`);
    assert.deepEqual(readdirSync(realDir), []);

    // An existing empty directory is fine, and the files are 0600.
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const e = await callkeeper(['consent', 'evidence', '1', '--out', empty], env);
    assert.equal(e.code, 0, e.stderr);
    const manifest = manifestOf(empty);
    for (const f of manifest.files) {
      assert.equal(createHash('sha256').update(readFileSync(join(empty, f.name))).digest('hex'), (f as unknown as { sha256: string }).sha256);
      assert.equal(statSync(join(empty, f.name)).mode & 0o777, 0o600, f.name);
    }
  });

  test('an --out that cannot be created is one line', async (t) => {
    const { env } = await setUp(t);
    const r = await callkeeper(['consent', 'evidence', '1', '--out', '/dev/null/x'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'callkeeper: cannot create /dev/null/x: /dev/null is not a directory\n');
  });
});

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { createCliContext } from '../../src/cli/cli-context.ts';
import { registerPurgeCommand } from '../../src/cli/purge-command.ts';
import { openDatabase, migrate } from '../../src/store/sqlite-database.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { capture } from './cli-test-harness.ts';

const DAY = 86_400_000;
let dir: string;


/** Runs `callkeeper purge ...` through commander with only this registrar, as main.ts will. */
async function run(args: string[]): Promise<{ out: string; error: unknown }> {
  const out = capture();
  const err = capture();
  let program: Command | undefined;
  const ctx = createCliContext({
    stdout: out.stream,
    stderr: err.stream,
    env: {},
    globals: () => (program?.opts() ?? {}) as { config?: string; db?: string },
  });
  program = new Command('callkeeper').option('--config <file>').option('--db <path>').exitOverride();
  registerPurgeCommand(program, ctx);
  let error: unknown;
  try {
    await program.parseAsync(['node', 'callkeeper', '--config', join(dir, 'callkeeper.yaml'), ...args]);
  } catch (e) {
    error = e;
  }
  return { out: out.text(), error };
}

describe('callkeeper purge', () => {
  let oldFile: string;
  let youngFile: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-purge-cli-'));
    const rec = join(dir, 'recordings');
    mkdirSync(join(rec, 'd'), { recursive: true });
    oldFile = join(rec, 'd', 'old.wav');
    youngFile = join(rec, 'd', 'young.wav');
    writeFileSync(oldFile, 'x');
    writeFileSync(youngFile, 'x');
    writeFileSync(
      join(dir, 'callkeeper.yaml'),
      `database:\n  path: ${join(dir, 'ck.db')}\nrecordings:\n  dir: ${rec}\n  retentionDays: 30\n`,
    );
    const db = openDatabase(join(dir, 'ck.db'));
    migrate(db);
    const ins = db.prepare(
      `INSERT INTO calls (engine, channel_id, did, caller_raw, started_at, recording_path) VALUES ('asterisk', ?, '+15125550100', '+15125550123', ?, ?)`,
    );
    ins.run('a', Date.now() - 40 * DAY, oldFile);
    ins.run('b', Date.now() - 5 * DAY, youngFile);
    ins.run('c', Date.now() - 40 * DAY, join(dir, 'elsewhere.wav'));
    db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--dry-run --json lists what would go and deletes nothing', async () => {
    const { out, error } = await run(['purge', '--dry-run', '--json']);
    // A path outside the recordings directories would be refused: the dry run says so with exit 1.
    assert.ok(isAppError(error, 'STORE.PURGE_INCOMPLETE'), String(error));
    const report = JSON.parse(out) as { dryRun: boolean; items: { path: string; status: string }[] };
    assert.equal(report.dryRun, true);
    assert.deepEqual(
      report.items.map((i) => [i.path, i.status]),
      [
        [oldFile, 'would-delete'],
        [join(dir, 'elsewhere.wav'), 'refused'],
      ],
    );
    assert.ok(existsSync(oldFile));
  });

  test('a real run deletes the expired recording, keeps the young one, and fails (exit 1) on a path outside the recordings dir', async () => {
    writeFileSync(join(dir, 'elsewhere.wav'), 'not ours');
    const { out, error } = await run(['purge']);
    assert.ok(isAppError(error, 'STORE.PURGE_INCOMPLETE'), String(error));
    assert.match(out, /deleted\s+call\s+1 /);
    assert.match(out, /REFUSED\s+call\s+3 .*outside the recordings directories/);
    assert.match(out, /1 file\(s\) deleted, 0 already gone, 1 refused, 0 failed; 1 call\(s\) marked recording-deleted/);
    assert.ok(!existsSync(oldFile));
    assert.ok(existsSync(youngFile));
    assert.ok(existsSync(join(dir, 'elsewhere.wav')));
    const db = openDatabase(join(dir, 'ck.db'));
    try {
      assert.deepEqual(db.prepare('SELECT id FROM calls WHERE recording_deleted_at IS NOT NULL').pluck().all(), [1]);
    } finally {
      db.close();
    }
  });

  test('--older-than-days overrides the configured retention', async () => {
    const { out } = await run(['purge', '--dry-run', '--json', '--older-than-days', '1']);
    const report = JSON.parse(out) as { retentionDays: number; items: { path: string }[] };
    assert.equal(report.retentionDays, 1);
    assert.ok(report.items.some((i) => i.path === youngFile));
  });
});

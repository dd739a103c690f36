import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportCliError } from '../../src/cli/cli-error-report.ts';
import { AppError } from '../../src/domain/errors.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { capture, callkeeper, type CliRun } from './cli-test-harness.ts';

/** A stack frame line as V8 prints it. */
const FRAME = /^\s+at /m;

const BIN = fileURLToPath(new URL('../../bin/callkeeper.mjs', import.meta.url));

/**
 * Runs bin/callkeeper.mjs as a child process, killed if it has not exited within `ms`: a command that
 * blocks its thread (a synchronous read of a FIFO) cannot be bounded in-process.
 */
async function binRun(args: string[], what: string, ms = 30_000): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', CALLKEEPER_DEV: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearTimeout(timer);
  if (signal === 'SIGKILL') assert.fail(`${what} did not exit within ${ms} ms (hung)`);
  return { code: code ?? -1, stdout, stderr };
}

function oneLine(r: CliRun): string {
  assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, FRAME, 'a stack trace was printed');
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `want one line, got:\n${r.stderr}`);
  return lines[0]!;
}

function database(dir: string): string {
  const path = join(dir, 'ck.db');
  const db = openDatabase(path);
  migrate(db);
  new SqliteBusinessDirectory(db).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  db.close();
  return path;
}

describe('CLI errors are one line', () => {
  test('an import line with an absurd "at" ends in one line, never a stack', async (t) => {
    const { dir, cleanup } = tempDir('ck-cli-errors-');
    t.after(cleanup);
    const db = database(dir);
    const file = join(dir, 'in.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify({ event: 'granted', business_id: 1, consumer: '+15125550123', at: 9000000000000000, did: '+15125550100', script_text: 'ok?', transcript: 'yes' })}\n`,
    );
    const line = oneLine(await callkeeper(['consent', 'import', file], { CALLKEEPER_DB: db }));
    assert.match(line, /^callkeeper: /);
  });

  test('an unexpected error is one line with the hint; --debug or CALLKEEPER_DEBUG=1 prints the stack', () => {
    const bug = new TypeError('cannot read properties of undefined\n  more detail');
    const plain = capture();
    assert.equal(reportCliError(bug, plain.stream, { debug: false }), 1);
    assert.equal(plain.text(), 'callkeeper: unexpected error: TypeError: cannot read properties of undefined (run with --debug or CALLKEEPER_DEBUG=1 for the stack)\n');
    const debug = capture();
    reportCliError(new Error('outer', { cause: new Error('inner') }), debug.stream, { debug: true });
    assert.match(debug.text(), FRAME);
    assert.match(debug.text(), /caused by: Error: inner/);
    // An AppError whose message spans lines (a config listing several problems) is still one line.
    const app = capture();
    reportCliError(new AppError('CONFIG.INVALID', 'invalid configuration:\n  a: bad\n  b: bad'), app.stream, { debug: false });
    assert.equal(app.text(), 'callkeeper: invalid configuration: a: bad b: bad\n');
  });

  test('--debug is a global option and CALLKEEPER_DEBUG is not taken for a config key', async (t) => {
    const { dir, cleanup } = tempDir('ck-cli-errors-');
    t.after(cleanup);
    const db = database(dir);
    const r = await callkeeper(['--debug', 'business', 'list', '--json'], { CALLKEEPER_DB: db, CALLKEEPER_DEBUG: '1' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).length, 1);
    const check = await callkeeper(['config', 'check', '--json'], { CALLKEEPER_DEBUG: '1', CALLKEEPER_DB: db });
    assert.equal(check.code, 0, check.stderr);
  });

  test('transcribe and consent classify --audio refuse a FIFO (and a directory) instead of waiting on it', async (t) => {
    const { dir, cleanup } = tempDir('ck-cli-errors-');
    t.after(cleanup);
    const fifo = join(dir, 'answer.wav');
    const made = spawnSync('mkfifo', [fifo]);
    assert.equal(made.status, 0, `mkfifo failed: ${made.stderr}`);
    const tr = oneLine(await binRun(['transcribe', fifo, '--engine', 'pocketsphinx'], 'transcribe on a FIFO'));
    assert.equal(tr, `callkeeper: ${fifo} is not a regular file (a WAV file is expected)`);
    const cl = oneLine(await binRun(['consent', 'classify', '--audio', fifo, '--engine', 'pocketsphinx'], 'consent classify on a FIFO'));
    assert.equal(cl, `callkeeper: ${fifo} is not a regular file (a WAV file is expected)`);
    const d = oneLine(await callkeeper(['transcribe', dir, '--engine', 'pocketsphinx']));
    assert.match(d, /is not a regular file/);
  });
});

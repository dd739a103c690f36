import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema, type Config } from '../../src/config/config-schema.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { startService } from '../../src/main.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { memoryLogger } from './serve-harness.ts';
import { ToneTranscriber } from './tone-speech.ts';

/**
 * A second `serve` on a database once took the first one's in-flight texts for a crash's leftovers
 * and sent them again. Peers are down on purpose (closed ports): the service starts without them, and
 * nothing here needs a call or a text to go through.
 */
const BIN = fileURLToPath(new URL('../../bin/callkeeper.mjs', import.meta.url));
/** A guard against a hung child, not a timing assertion: a serve child starts in seconds. */
const GUARD_MS = 90_000;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function setUp(t: { after(fn: () => void): void }) {
  const { dir, cleanup } = tempDir('ck-single-');
  t.after(cleanup);
  const dbPath = join(dir, 'callkeeper.db');
  const db = openDatabase(dbPath);
  migrate(db);
  new SqliteBusinessDirectory(db).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  db.close();
  const port = await closedPort();
  const settings = {
    engine: 'asterisk',
    database: { path: dbPath },
    recordings: { dir: join(dir, 'recordings') },
    prompts: { dir: join(dir, 'prompts') },
    asterisk: { url: `http://127.0.0.1:${port}`, password: 'x' },
    smpp: { host: '127.0.0.1', port, password: 'x' },
    speech: { engine: 'pocketsphinx' },
    admin: { port: 0 },
    log: { level: 'info' },
  };
  const config: Config = configSchema.parse(settings);
  const configFile = join(dir, 'callkeeper.yaml');
  writeFileSync(configFile, JSON.stringify(settings), { mode: 0o600 });
  mkdirSync(join(dir, 'recordings'));
  return { dir, dbPath, config, configFile };
}

/** Ten texts "in flight": claimed and submitted to the SMSC by the running service, result not yet back. */
function putInFlight(dbPath: string): string {
  const db = openDatabase(dbPath);
  const now = Date.now();
  const insert = db.prepare(
    "INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, state, attempts, created_at, claimed_at) VALUES (1, '+15125550100', ?, 'hi', 'first-reply', 'submitting', 1, ?, ?)",
  );
  for (let i = 0; i < 10; i++) insert.run(`+1512555${String(2000 + i)}`, now, now);
  db.close();
  return snapshot(dbPath);
}

function snapshot(dbPath: string): string {
  const db = openDatabase(dbPath, { readonly: true });
  const rows = db.prepare('SELECT id, state, attempts, claimed_at, next_attempt_at FROM outbound_messages ORDER BY id').all();
  db.close();
  return JSON.stringify(rows);
}

interface Child {
  readonly proc: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  stdout(): string;
  stderr(): string;
}

function serveChild(configFile: string): Child {
  const proc = spawn(process.execPath, [BIN, '--config', configFile, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', CALLKEEPER_DEV: '1' } });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = once(proc, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
  return { proc, exited, stdout: () => out, stderr: () => err };
}

async function until(cond: () => boolean, what: string, child: Child): Promise<void> {
  const deadline = Date.now() + GUARD_MS;
  let gone = false;
  void child.exited.then(() => (gone = true));
  while (!cond()) {
    if (gone) throw new Error(`the serve child exited while waiting for ${what}: ${child.stderr()}${child.stdout()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${child.stderr()}${child.stdout()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function exitOf(child: Child, what: string): Promise<{ code: number | null; signal: string | null }> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => {
      child.proc.kill('SIGKILL');
      reject(new Error(`${what} did not exit within ${GUARD_MS} ms (stdout: ${child.stdout().slice(0, 500)})`));
    }, GUARD_MS);
  });
  try {
    return await Promise.race([child.exited, guard]);
  } finally {
    clearTimeout(timer);
  }
}

const running = (c: Child) => (): boolean => c.stdout().includes('"msg":"callkeeper is running"');

describe('one serve per database', () => {
  test('in one process: the second startService is refused before it touches the queue; after a shutdown the next one starts', async (t) => {
    const { dbPath, config } = await setUp(t);
    const first = await startService(config, { logger: memoryLogger(), transcriber: new ToneTranscriber(), retention: false });
    let firstUp = true;
    t.after(async () => {
      if (firstUp) await first.shutdown('test cleanup');
    });
    const before = putInFlight(dbPath);
    const second = await startService(config, { logger: memoryLogger(), transcriber: new ToneTranscriber(), retention: false }).then(
      async (s) => {
        await s.shutdown('should not have started');
        return assert.fail('a second service started on the same database');
      },
      (e: unknown) => e,
    );
    assert.ok(isAppError(second, 'STORE.SERVICE_RUNNING'), String(second));
    assert.match(
      second.message,
      new RegExp(`^callkeeper serve is already running on ${dbPath} \\(pid ${process.pid} on ${hostname()}, started \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\); one service per database: stop it first$`),
    );
    assert.equal(snapshot(dbPath), before, 'the refused service changed the in-flight texts');
    await first.shutdown('test');
    firstUp = false;
    const next = await startService(config, { logger: memoryLogger(), transcriber: new ToneTranscriber(), retention: false });
    await next.shutdown('test');
  });

  test('callkeeper serve: a second one exits 1 naming the first; after kill -9 of the first a new one starts', { timeout: 4 * GUARD_MS }, async (t) => {
    const { dbPath, configFile } = await setUp(t);
    const first = serveChild(configFile);
    t.after(() => first.proc.kill('SIGKILL'));
    await until(running(first), 'the first serve to run', first);
    const before = putInFlight(dbPath);

    const second = serveChild(configFile);
    t.after(() => second.proc.kill('SIGKILL'));
    const r = await exitOf(second, 'the second serve');
    assert.equal(r.code, 1, `second serve: ${second.stderr()}`);
    const lines = second.stderr().split('\n').filter(Boolean);
    assert.equal(lines.length, 1, second.stderr());
    assert.match(lines[0]!, new RegExp(`^callkeeper: callkeeper serve is already running on ${dbPath} \\(pid ${first.proc.pid} on ${hostname()}, started [^)]+\\); one service per database: stop it first$`));
    assert.equal(snapshot(dbPath), before, 'the refused serve changed the in-flight texts');

    first.proc.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const third = serveChild(configFile);
    t.after(() => third.proc.kill('SIGKILL'));
    await until(running(third), 'a serve after the kill -9 to run', third);
    third.proc.kill('SIGTERM');
    assert.equal((await exitOf(third, 'the third serve after SIGTERM')).code, 0);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { configSchema, type Config } from '../../src/config/config-schema.ts';
import { sqliteDbOf, startService } from '../../src/main.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { memoryLogger } from './serve-harness.ts';
import { PHRASES, sayPhrase, ToneTranscriber } from './tone-speech.ts';

/**
 * `serve` takes up the messages a previous run left pending (src/speech/README.md, "The message
 * backlog"): the wiring in src/main.ts, over a real SQLite file and real recording files. Peers are down
 * on purpose (closed ports): the backlog needs neither the engine nor the SMSC.
 */
/** A guard against a hung backlog, not a timing assertion: two fake transcriptions take milliseconds. */
const GUARD_MS = 30_000;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('serve transcribes the messages a previous run left pending, and fails the one whose audio is gone', async (t) => {
  const { dir, cleanup } = tempDir('ck-backlog-');
  t.after(cleanup);
  const dbPath = join(dir, 'callkeeper.db');
  const recordings = join(dir, 'recordings');
  mkdirSync(recordings);
  const db = openDatabase(dbPath);
  migrate(db);
  const business = new SqliteBusinessDirectory(db).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  const calls = new SqliteCallLog(db);
  const previousRun = Date.now() - 10 * 60_000;
  const message = (n: number, wav: Buffer | null): number => {
    const id = calls.open({ engine: 'asterisk', channelId: `old-${n}`, businessId: business.id, did: '+15125550100', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: previousRun + n });
    const path = join(recordings, `message-${n}.wav`);
    const audio = wav ?? sayPhrase(PHRASES[0]);
    if (wav !== null) writeFileSync(path, wav);
    calls.saveMessage(id, { recordingPath: path, sha256: createHash('sha256').update(audio).digest('hex'), durationMs: 600 });
    calls.close(id, { outcome: 'message-only', endedAt: previousRun + n + 30_000 });
    return id;
  };
  const kept = message(1, sayPhrase(PHRASES[4]));
  const gone = message(2, null);
  db.close();

  const port = await closedPort();
  const config: Config = configSchema.parse({
    engine: 'asterisk',
    database: { path: dbPath },
    recordings: { dir: recordings },
    prompts: { dir: join(dir, 'prompts') },
    asterisk: { url: `http://127.0.0.1:${port}`, password: 'x' },
    smpp: { host: '127.0.0.1', port, password: 'x' },
    speech: { engine: 'pocketsphinx' },
    admin: { port: 0 },
    log: { level: 'info' },
  });
  const transcriber = new ToneTranscriber();
  const logger = memoryLogger();
  const service = await startService(config, { logger, transcriber, retention: false });
  let up = true;
  t.after(async () => {
    if (up) await service.shutdown('test cleanup');
  });
  const row = sqliteDbOf(service).prepare('SELECT transcript, transcript_status, transcript_attempts, transcript_error FROM calls WHERE id = ?');
  const status = (id: number) => (row.get(id) as { transcript_status: string }).transcript_status;
  const deadline = Date.now() + GUARD_MS;
  while (status(kept) !== 'done' || status(gone) !== 'failed') {
    if (Date.now() > deadline) assert.fail(`the backlog did not settle both messages within ${GUARD_MS} ms: ${status(kept)}, ${status(gone)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(row.get(kept), { transcript: PHRASES[4], transcript_status: 'done', transcript_attempts: 1, transcript_error: null });
  assert.deepEqual(row.get(gone), { transcript: null, transcript_status: 'failed', transcript_attempts: 0, transcript_error: 'recording missing' });
  assert.deepEqual(transcriber.heard, [{ purpose: 'message', text: PHRASES[4] }]);

  // The gauges follow each look at the backlog; the last look after the two may still be under way.
  const scrape = async () => (await fetch(`http://${service.admin.host}:${service.admin.port}/metrics`)).text();
  let metrics = await scrape();
  while (!/^callkeeper_message_backlog_pending 0$/m.test(metrics)) {
    if (Date.now() > deadline) assert.fail(`/metrics did not show an empty backlog: ${metrics.split('\n').filter((l) => l.includes('backlog')).join('; ')}`);
    await new Promise((r) => setTimeout(r, 50));
    metrics = await scrape();
  }
  assert.match(metrics, /^callkeeper_message_backlog_oldest_seconds 0$/m);
  await service.shutdown('test');
  up = false;
});

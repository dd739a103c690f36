import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addConsoleUser } from '../../src/app/console/console-users.ts';
import { createConsoleWiring } from '../../src/compose/console-wiring.ts';
import { loadConfig } from '../../src/config/config-loader.ts';
import { consolePlugin } from '../../src/console/console-plugin.ts';
import { optInPlugin } from '../../src/console/opt-in-routes.ts';
import { encodePcm16Wav } from '../../src/domain/audio/wav-codec.ts';
import { AdminHttpServer } from '../../src/http/admin-http-server.ts';
import { PromMetrics } from '../../src/http/prom-metrics.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { SqliteConsoleAccounts } from '../../src/store/sqlite-console-accounts.ts';
import { migrate, openDatabase, type SqliteDb } from '../../src/store/sqlite-database.ts';
import { SqliteMessageLog } from '../../src/store/sqlite-message-log.ts';
import { SqliteOutbox } from '../../src/store/sqlite-outbox.ts';
import { SqliteStaffStore } from '../../src/store/sqlite-staff-store.ts';
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';

export const ADMIN = { username: 'dana', password: 'correct horse battery' };
export const VIEWER = { username: 'vic', password: 'viewer password 1' };
export const CALLER = '+15125550177';
/** A second caller, whose recordings must never be served under the first caller's call. */
export const OTHER_CALLER = '+15125550188';

const T0 = Date.UTC(2026, 11, 1, 15, 0, 0);

/** One second of a 440 Hz tone, 8 kHz mono PCM16: a WAV a browser's <audio> decodes. */
function toneWav(hz: number): Buffer {
  const rate = 8000;
  const pcm = new Int16Array(rate);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate));
  return encodePcm16Wav(rate, pcm);
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

export interface ConsoleFixture {
  readonly dir: string;
  readonly db: SqliteDb;
  readonly server: AdminHttpServer;
  readonly callId: number;
  readonly otherCallId: number;
  readonly answerWav: string;
  readonly base: string;
  close(): Promise<void>;
}

/**
 * A database with one business, staff, two calls (each with a message and a consent answer recording
 * in the recordings directory), their texts, an inbound reply, an admin and a viewer; the admin server
 * with the console mounted, listening on 127.0.0.1 port 0.
 */
export async function startConsoleFixture(opts: { listen?: boolean; token?: string; trustProxy?: boolean } = {}): Promise<ConsoleFixture> {
  const { dir, cleanup } = tempDir('callkeeper-console-');
  const dbPath = join(dir, 'ck.db');
  const db = openDatabase(dbPath);
  migrate(db);
  let now = T0;
  const clock = { now: () => now, setTimer: () => () => undefined };
  const biz = new SqliteBusinessDirectory(db, clock);
  biz.add({ name: 'Acme Plumbing', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  new SqliteStaffStore(db, { clock }).add(validateNewStaff({ businessId: 1, name: 'Sam', mobile: '+15125550142', email: undefined, onCall: 'Mon-Fri 08:00-18:00', channels: undefined }));
  const calls = new SqliteCallLog(db);
  const ledger = new SqliteConsentStore(db, clock);
  const outbox = new SqliteOutbox(db, { clock });
  const made: number[] = [];
  let answerWav = '';
  for (const [caller, hz] of [
    [CALLER, 440],
    [OTHER_CALLER, 660],
  ] as const) {
    now += 3_600_000;
    const callId = calls.open({ engine: 'asterisk', channelId: `chan-${caller}`, businessId: 1, did: '+15125550100', callerRaw: caller.slice(2), callerE164: caller, startedAt: now });
    const message = join(dir, `call-${callId}-message.wav`);
    const answer = join(dir, `call-${callId}-answer.wav`);
    writeFileSync(message, toneWav(hz));
    writeFileSync(answer, toneWav(hz * 2));
    calls.saveMessage(callId, { recordingPath: message, sha256: sha(message), durationMs: 1000 });
    calls.saveTranscript(callId, { transcript: 'My water heater is leaking into the garage.', summary: null });
    const granted = ledger.append(consentEvent({ consumer: caller, callId, audioPath: answer, audioSha256: sha(answer), transcript: 'yes please', scriptText: 'Acme Plumbing would like to text you about this call. Is that okay?' }));
    outbox.enqueue({ businessId: 1, from: '+15125550100', to: caller, body: 'Hi, this is Acme Plumbing. We received your call. Reply STOP to opt out.', kind: 'first-reply', callId, consentEventId: granted.id });
    db.prepare("INSERT INTO urgency_decisions (call_id, business_id, decided_at, urgent, trade, rule, phrase, matched) VALUES (?, 1, ?, 1, 'plumbing', 'active-leak', 'leaking', 'leaking')").run(callId, now);
    calls.close(callId, { outcome: 'consent-granted', endedAt: now + 45_000 });
    made.push(callId);
    if (caller === CALLER) answerWav = answer;
  }
  new SqliteMessageLog(db).saveInbound({ businessId: 1, recipient: '+15125550100', sender: CALLER, body: 'Thanks, how soon?', keyword: null, callId: made[0]!, receivedAt: now + 60_000 });
  const accounts = new SqliteConsoleAccounts(db, clock);
  await addConsoleUser(accounts, { ...ADMIN, role: 'admin', now });
  await addConsoleUser(accounts, { ...VIEWER, role: 'viewer', now });

  const config = loadConfig({ file: '/dev/null', env: { CALLKEEPER_DATABASE__PATH: dbPath, CALLKEEPER_RECORDINGS__DIR: dir } }).config;
  const metrics = new PromMetrics({ processMetrics: false });
  metrics.consentDecided('granted', 640);
  metrics.consentDecided('declined', 1400);
  const deps = createConsoleWiring({
    db,
    config,
    clock,
    readiness: () => ({ store: true, ari: true, smpp: false }),
    decisionLatency: () => metrics.decisionLatencyBuckets(),
    engineName: 'asterisk',
  });
  const server = new AdminHttpServer({ host: '127.0.0.1', port: 0, token: opts.token, trustProxy: opts.trustProxy }, { readiness: () => ({ store: true }), metrics: metrics.registry, plugins: [consolePlugin(deps, { secureCookies: opts.trustProxy === true }), optInPlugin({ businesses: { byId: async (id: number) => deps.businesses.byId(id) }, settings: deps.programSettings })] });
  let base = '';
  if (opts.listen !== false) {
    const a = await server.listen();
    base = `http://127.0.0.1:${a.port}`;
  } else {
    await server.app.ready();
  }
  return {
    dir,
    db,
    server,
    callId: made[0]!,
    otherCallId: made[1]!,
    answerWav,
    base,
    close: async () => {
      await server.close();
      db.close();
      cleanup();
    },
  };
}

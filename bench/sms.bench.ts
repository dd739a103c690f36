/**
 * `npm run bench:sms`: 10,000 texts through the durable outbox to a local SMSC with delivery
 * receipts on, window 10, against a bare pipelined client on the same `smpp` package (window 10, no
 * database) as the baseline; the ratio should be ≥ 0.8. Then the STOP-to-suppression latency: from the
 * SMSC sending STOP to the revoke (ledger + cancelled queue) being committed, target ≤ 50 ms. Then
 * the STOP race at the operator's pace (src/sms/README.md, "No part after STOP"): 1,000 queued texts (half of them two parts) at
 * 50 submits/s, 40 STOPs at seeded random moments; how long from the SMSC sending STOP to it accepting
 * the confirmation (target p95 ≤ 5 s), and how many parts reached it after it had the STOP's answer.
 * Prints one JSON line per measurement. BENCH_SMS_RACE_N / BENCH_SMS_RACE_TPS scale the race run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import smpp, { type PDU } from 'smpp';
import { InboundMessageHandler } from '../src/app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from '../src/app/messaging/outbox-dispatcher.ts';
import { SmscSimulator } from '../src/sim/smsc/smsc-simulator.ts';
import { SmppGateway } from '../src/sms/smpp-gateway.ts';
import { SqliteBusinessDirectory } from '../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../src/store/sqlite-database.ts';
import { SqliteMessageLog } from '../src/store/sqlite-message-log.ts';
import { SqliteOutbox } from '../src/store/sqlite-outbox.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

const N = Number(process.env.BENCH_SMS_N ?? 10_000);
const WINDOW = 10;
const DID = '+15125550100';
const NOON_CHICAGO = Date.UTC(2026, 2, 10, 17, 0);
const offset = NOON_CHICAGO - Date.now();
const clock = {
  now: () => Date.now() + offset,
  setTimer: (ms: number, fn: () => void) => {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};
const consumer = (i: number): string => `+1512${String(5_000_000 + i).padStart(7, '0')}`;
const body = (i: number): string => `Acme Plumbing: your service is complete. Msg & data rates may apply. Reply HELP for help, STOP to opt out. #${i}`;

/** The baseline: the package alone, window 10, answering receipts, TCP_NODELAY on. */
/** CPU time (user + system, µs) of this process per text: the sim, client and database share one thread, so on a
 * busy shared machine this is steadier than the wall-clock rate, which other processes' load moves a lot. */
function cpuPerText(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return Math.round((u.user + u.system) / N);
}

async function bareClient(port: number): Promise<{ rate: number; cpuUsPerText: number }> {
  const session = smpp.connect({ host: '127.0.0.1', port });
  await new Promise<void>((r) => session.on('connect', () => r()));
  session.socket.setNoDelay(true);
  await new Promise<void>((r) => session.send(new smpp.PDU('bind_transceiver', { system_id: 'bench', password: 'x', interface_version: 0x34 }), () => r()));
  let receipts = 0;
  let acked = 0;
  let sent = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise<void>((done) => {
    session.on('deliver_sm', (pdu: PDU) => {
      session.send(pdu.response());
      receipts++;
      if (receipts === N && acked === N) done();
    });
    const next = (): void => {
      if (sent >= N) return;
      const i = sent++;
      session.send(
        new smpp.PDU('submit_sm', {
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: DID.slice(1),
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: consumer(i).slice(1),
          registered_delivery: 1,
          data_coding: 0,
          short_message: Buffer.from(body(i), 'latin1'),
        }),
        () => {
          acked++;
          if (receipts === N && acked === N) done();
          next();
        },
      );
    };
    for (let k = 0; k < WINDOW; k++) next();
  });
  const s = (performance.now() - t0) / 1000;
  const cpuUsPerText = cpuPerText(cpu0);
  session.destroy();
  return { rate: N / s, cpuUsPerText };
}

function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-sms-'));
  const db = openDatabase(join(dir, 'bench.db'));
  migrate(db);
  db.prepare("INSERT INTO businesses (id, name, timezone, consent_mode, created_at, updated_at) VALUES (1, 'Acme Plumbing', 'America/Chicago', 'verbal', 0, 0)").run();
  db.prepare('INSERT INTO business_dids (did, business_id) VALUES (?, 1)').run(DID);
  const consent = new SqliteConsentStore(db, clock);
  const grant = (to: string, event: 'granted' = 'granted') =>
    consent.append({ event, businessId: 1, did: DID, consumer: to, method: 'verbal', scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'bench' });
  const rules = { maxPerDay: 4, quietHours: { start: '21:00', end: '08:00' }, firstReplyExemptFromQuietHours: true };
  const outbox = new SqliteOutbox(db, { clock });
  return { dir, db, consent, grant, outbox, rules, close: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function outboxRun(port: number): Promise<{ rate: number; cpuUsPerText: number; duplicates: number; flushes: number }> {
  const f = freshDb();
  f.db.transaction(() => {
    for (let i = 0; i < N; i++) {
      f.grant(consumer(i));
      f.outbox.enqueue({ businessId: 1, from: DID, to: consumer(i), body: body(i), kind: 'follow-up', callId: null, consentEventId: null });
    }
  })();
  const gateway = new SmppGateway({
    host: '127.0.0.1', port, systemId: 'bench', password: 'x', systemType: '', enquireLinkInS: 30, responseTimeout: 10_000,
    window: WINDOW, tps: 1_000_000, sourceTon: 1, sourceNpi: 1, destTon: 1, destNpi: 1, useMessagePayload: false, registeredDelivery: true,
  });
  await gateway.start();
  const dispatcher = new OutboxDispatcher({ window: WINDOW }, { outbox: f.outbox, rules: f.rules, gateway, clock });
  const delivered = f.db.prepare("SELECT count(*) FROM outbound_messages WHERE state = 'delivered'").pluck();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  dispatcher.start();
  await dispatcher.drain();
  while ((delivered.get() as number) < N) await new Promise((r) => setTimeout(r, 1));
  const s = (performance.now() - t0) / 1000;
  const cpuUsPerText = cpuPerText(cpu0);
  await dispatcher.stop();
  await gateway.stop();
  f.close();
  return { rate: N / s, cpuUsPerText, duplicates: dispatcher.stats.submitted - N, flushes: dispatcher.stats.flushes };
}

async function stopLatency(sim: SmscSimulator, port: number): Promise<{ p50: number; max: number; sentAfterStop: number; inFlightAtStop: number }> {
  const f = freshDb();
  const gateway = new SmppGateway({
    host: '127.0.0.1', port, systemId: 'bench', password: 'x', systemType: '', enquireLinkInS: 30, responseTimeout: 10_000,
    window: WINDOW, tps: 200, sourceTon: 1, sourceNpi: 1, destTon: 1, destNpi: 1, useMessagePayload: false, registeredDelivery: false,
  });
  const dispatcher = new OutboxDispatcher({ window: WINDOW }, { outbox: f.outbox, rules: f.rules, gateway, clock });
  const inbound = new InboundMessageHandler({}, {
    outbox: f.outbox, consent: f.consent, businesses: new SqliteBusinessDirectory(f.db, clock), messages: new SqliteMessageLog(f.db), clock,
    onEnqueued: () => dispatcher.kick(),
  });
  gateway.onInbound((m) => void inbound.handle(m));
  await gateway.start();
  dispatcher.start();
  const lat: number[] = [];
  let sentAfterStop = 0;
  let inFlightAtStop = 0;
  const claimedIds = f.db
    .prepare("SELECT id FROM outbound_messages WHERE recipient = ? AND kind <> 'keyword-reply' AND state NOT IN ('queued','cancelled','refused')")
    .pluck();
  for (let k = 0; k < 30; k++) {
    const to = consumer(100_000 + k);
    f.grant(to);
    for (let j = 0; j < 4; j++) f.outbox.enqueue({ businessId: 1, from: DID, to, body: `update ${j}`, kind: 'follow-up', callId: null, consentEventId: null });
    dispatcher.kick();
    await new Promise((r) => sim.once('submit', r));
    const claimedBefore = new Set(claimedIds.all(to) as number[]);
    const t0 = performance.now();
    await sim.deliver({ from: to.slice(1), to: DID.slice(1), text: 'STOP' });
    lat.push(performance.now() - t0);
    await dispatcher.drainDue();
    // Texts already claimed (in flight) when STOP arrived may still go, at most a window; none claimed after it.
    inFlightAtStop += claimedBefore.size;
    sentAfterStop += (claimedIds.all(to) as number[]).filter((id) => !claimedBefore.has(id)).length;
  }
  await dispatcher.stop();
  await gateway.stop();
  f.close();
  lat.sort((a, b) => a - b);
  return { p50: lat[Math.floor(lat.length / 2)]!, max: lat.at(-1)!, sentAfterStop, inFlightAtStop };
}


const RACE_N = Number(process.env.BENCH_SMS_RACE_N ?? 1_000);
const RACE_TPS = Number(process.env.BENCH_SMS_RACE_TPS ?? 50);
const RACE_STOPS = 40;

/**
 * The STOP race at the operator's pace. Half the STOPs go to the consumer whose text the SMSC received
 * last (a text in flight: its second part, or a text claimed behind it, is the one that must not go),
 * half to a consumer still waiting in the queue.
 */
async function stopRace(sim: SmscSimulator, port: number) {
  const f = freshDb();
  const longBody = (i: number): string => `${body(i)} ${'Details of your visit follow. '.repeat(4)}`;
  f.db.transaction(() => {
    for (let i = 0; i < RACE_N; i++) {
      const to = consumer(200_000 + i);
      f.grant(to);
      f.outbox.enqueue({ businessId: 1, from: DID, to, body: i % 2 ? longBody(i) : body(i), kind: 'follow-up', callId: null, consentEventId: null });
    }
  })();
  const gateway = new SmppGateway({
    host: '127.0.0.1', port, systemId: 'bench', password: 'x', systemType: '', enquireLinkInS: 30, responseTimeout: 10_000,
    window: WINDOW, tps: RACE_TPS, sourceTon: 1, sourceNpi: 1, destTon: 1, destNpi: 1, useMessagePayload: false, registeredDelivery: false,
  });
  const dispatcher = new OutboxDispatcher({ window: WINDOW }, { outbox: f.outbox, rules: f.rules, gateway, clock });
  const inbound = new InboundMessageHandler({}, {
    outbox: f.outbox, consent: f.consent, businesses: new SqliteBusinessDirectory(f.db, clock), messages: new SqliteMessageLog(f.db), clock,
    onEnqueued: () => dispatcher.kick(),
  });
  gateway.onInbound((m) => void inbound.handle(m));
  const stopped = new Map<string, { sentAt: number; answeredAt: number | null; confirmedAt: number | null }>();
  let partsAfterAnswer = 0;
  let lastTo = '';
  const onSubmit = (s: { to: string; text: string }): void => {
    const st = stopped.get(s.to);
    if (st && s.text.includes('You are unsubscribed')) st.confirmedAt ??= performance.now();
    else if (st?.answeredAt != null) partsAfterAnswer++;
    lastTo = s.to;
  };
  sim.on('submit', onSubmit);
  await gateway.start();
  const rnd = seededRandom(12);
  const pdus = RACE_N * 1.5;
  // STOPs over the first 3/4 of the run, while most of the queue still waits.
  const moments = Array.from({ length: RACE_STOPS }, () => rnd() * (pdus / RACE_TPS) * 750).sort((a, b) => a - b);
  const t0 = performance.now();
  dispatcher.start();
  const answers: Array<Promise<unknown>> = [];
  for (const [k, at] of moments.entries()) {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + at - performance.now())));
    // Digits, as the SMSC sees numbers.
    let to = k % 2 === 0 ? lastTo : consumer(200_000 + Math.floor(rnd() * RACE_N)).slice(1);
    if (stopped.has(to) || to === '') to = consumer(200_000 + Math.floor(rnd() * RACE_N)).slice(1);
    if (stopped.has(to)) continue;
    const st = { sentAt: performance.now(), answeredAt: null as number | null, confirmedAt: null as number | null };
    stopped.set(to, st);
    answers.push(sim.deliver({ from: to, to: DID.slice(1), text: 'STOP' }).then(() => (st.answeredAt = performance.now())));
  }
  await Promise.all(answers);
  await dispatcher.drain();
  const runS = (performance.now() - t0) / 1000;
  sim.off('submit', onSubmit);
  await dispatcher.stop();
  await gateway.stop();
  f.close();
  const lat = [...stopped.values()].map((s) => (s.confirmedAt ?? Infinity) - s.sentAt).sort((a, b) => a - b);
  const q = (p: number): number => Number(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(0));
  return { stops: lat.length, p50: q(0.5), p95: q(0.95), max: q(1), partsAfterAnswer, runS: Number(runS.toFixed(1)) };
}

const sim = new SmscSimulator({ receipts: 'both' });
const port = await sim.listen();
const baseline = await bareClient(port);
const viaOutbox = await outboxRun(port);
console.log(
  JSON.stringify({
    bench: 'sms-throughput',
    texts: N,
    window: WINDOW,
    receipts: true,
    baselinePerS: Math.round(baseline.rate),
    outboxPerS: Math.round(viaOutbox.rate),
    ratio: Number((viaOutbox.rate / baseline.rate).toFixed(3)),
    target: 0.8,
    baselineCpuUsPerText: baseline.cpuUsPerText,
    outboxCpuUsPerText: viaOutbox.cpuUsPerText,
    cpuRatio: Number((baseline.cpuUsPerText / viaOutbox.cpuUsPerText).toFixed(3)),
    duplicates: viaOutbox.duplicates,
    transactions: viaOutbox.flushes,
    loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  }),
);
const stop = await stopLatency(sim, port);
console.log(JSON.stringify({ bench: 'sms-stop-to-suppression', trials: 30, p50Ms: Number(stop.p50.toFixed(2)), maxMs: Number(stop.max.toFixed(2)), targetMs: 50, textsClaimedAfterStop: stop.sentAfterStop, textsInFlightAtStop: stop.inFlightAtStop }));
const race = await stopRace(sim, port);
console.log(
  JSON.stringify({
    bench: 'sms-stop-confirmation',
    queued: RACE_N,
    tps: RACE_TPS,
    stops: race.stops,
    p50Ms: race.p50,
    p95Ms: race.p95,
    maxMs: race.max,
    targetP95Ms: 5_000,
    partsAfterStopAnswered: race.partsAfterAnswer,
    runS: race.runS,
    loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  }),
);
await sim.close();

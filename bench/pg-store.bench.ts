/**
 * `node --import tsx bench/pg-store.bench.ts`: the PostgreSQL stores (src/store/postgres/) beside the SQLite
 * ones in the same run, each with its durable settings (PostgreSQL fsync on, SQLite `synchronous = FULL`
 * as sqlite-database.ts opens it), on the shared box's disk:
 * - `append`: one consent ledger append (a transaction each);
 * - `drain`: N queued texts claimed 10 at a time and marked submitted, by one node; and for PostgreSQL by
 *   two nodes (two pools, concurrently) beside one: the shared outbox's scaling.
 * JSON lines; µs per operation. BENCH_STORE_N (texts and appends, default 2000), BENCH_STORE_ROUNDS
 * (default 3, interleaved), BENCH_PG_FSYNC=0 to turn fsync off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { NewConsentEvent } from '../src/domain/consent.ts';
import type { OutboundRequest, SendDecider } from '../src/domain/ports/outbox.ts';
import { PgConsentStore } from '../src/store/postgres/pg-consent-store.ts';
import { openPgPool } from '../src/store/postgres/pg-database.ts';
import { migratePg } from '../src/store/postgres/pg-migrate.ts';
import { PgOutbox } from '../src/store/postgres/pg-outbox.ts';
import { SqliteConsentStore } from '../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../src/store/sqlite-database.ts';
import { SqliteOutbox } from '../src/store/sqlite-outbox.ts';
import { startPgCluster } from '../test/support/pg-cluster.ts';

const N = Number(process.env.BENCH_STORE_N ?? 2000);
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 3);
const FSYNC = process.env.BENCH_PG_FSYNC !== '0';
const DID = '+15125550100';
const NOW = Date.UTC(2026, 2, 10, 17, 0);
const allowAll: SendDecider = () => ({ allow: true });
const consumer = (i: number): string => `+1512${String(5_000_000 + i).padStart(7, '0')}`;
const event = (i: number): NewConsentEvent => ({
  event: 'granted', businessId: 1, did: DID, consumer: consumer(i), method: 'verbal', scriptVersion: 'v1',
  scriptText: 'Would it be okay if Acme texts you? Reply STOP to opt out.', transcript: 'yes', audioPath: null,
  audioSha256: null, callId: null, source: 'bench',
});
// Keyword replies: not capped and not consent-gated, so the drain measures the queue itself.
const text = (i: number): OutboundRequest => ({ businessId: 1, from: DID, to: consumer(i % 500), body: `reply ${i}`, kind: 'keyword-reply', callId: null, consentEventId: null });
const emit = (o: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'pg-store', n: N, pgFsync: FSYNC, ...o }));
const r1 = (x: number): number => Math.round(x * 10) / 10;

interface Outboxish {
  claim(limit: number, now: number, decide: SendDecider): unknown;
  markSubmitted(id: number, r: { messageIds: readonly string[]; parts: number; at: number }): unknown;
}

async function drain(o: Outboxish): Promise<number> {
  let n = 0;
  for (;;) {
    const got = (await o.claim(10, NOW, allowAll)) as Array<{ id: number }>;
    if (got.length === 0) return n;
    for (const m of got) await o.markSubmitted(m.id, { messageIds: [`s${m.id}`], parts: 1, at: NOW });
    n += got.length;
  }
}

async function main(): Promise<void> {
  const cluster = await startPgCluster({ fsync: FSYNC });
  const dir = mkdtempSync(join(tmpdir(), 'ck-store-bench-'));
  const pools: pg.Pool[] = [];
  try {
    const results: Record<string, number[]> = {};
    const add = (k: string, usPerOp: number): void => void (results[k] ??= []).push(usPerOp);
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh stores each round, so every round starts from the same sizes.
      const conn = await cluster.createDatabase();
      const pool = openPgPool(conn, { max: 4 });
      const pool2 = openPgPool(conn, { max: 4 });
      pools.push(pool, pool2);
      await migratePg(pool);
      await pool.query("INSERT INTO businesses (id, name, timezone, consent_mode, created_at, updated_at) VALUES (1, 'Acme', 'America/Chicago', 'verbal', 0, 0)");
      const sdb = openDatabase(join(dir, `r${round}.db`));
      migrate(sdb);
      sdb.prepare("INSERT INTO businesses (id, name, timezone, consent_mode, created_at, updated_at) VALUES (1, 'Acme', 'America/Chicago', 'verbal', 0, 0)").run();
      const clock = { now: () => NOW };

      const pgLedger = new PgConsentStore(pool, clock);
      const sLedger = new SqliteConsentStore(sdb, clock);
      let t0 = performance.now();
      for (let i = 0; i < N; i++) sLedger.append(event(i));
      add('append sqlite', ((performance.now() - t0) * 1000) / N);
      t0 = performance.now();
      for (let i = 0; i < N; i++) await pgLedger.append(event(i));
      add('append postgres', ((performance.now() - t0) * 1000) / N);

      const sOut = new SqliteOutbox(sdb, { clock });
      for (let i = 0; i < N; i++) sOut.enqueue(text(i));
      t0 = performance.now();
      const sN = await drain(sOut);
      add('drain sqlite, 1 node', ((performance.now() - t0) * 1000) / sN);

      const a = new PgOutbox(pool, { nodeId: 'a', clock });
      const b = new PgOutbox(pool2, { nodeId: 'b', clock });
      await pool.query("INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, state, created_at, next_attempt_at) SELECT 1, $1, '+15125550000', 'reply ' || g, 'keyword-reply', 'queued', $2, $2 FROM generate_series(1, $3) g", [DID, NOW, N]);
      t0 = performance.now();
      const one = await drain(a);
      add('drain postgres, 1 node', ((performance.now() - t0) * 1000) / one);
      await pool.query("INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, state, created_at, next_attempt_at) SELECT 1, $1, '+15125550000', 'reply ' || g, 'keyword-reply', 'queued', $2, $2 FROM generate_series(1, $3) g", [DID, NOW, N]);
      t0 = performance.now();
      const [x, y] = await Promise.all([drain(a), drain(b)]);
      add('drain postgres, 2 nodes', ((performance.now() - t0) * 1000) / (x + y));
      if (sN !== N || one !== N || x + y !== N) throw new Error(`drained ${sN}, ${one}, ${x + y} of ${N}`);
      sdb.close();
    }
    const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
    for (const [k, v] of Object.entries(results)) {
      const [op, ...rest] = k.split(' ');
      emit({ op, store: rest.join(' '), usPerOp: r1(median(v)), rounds: v.map(r1), loadavg1: r1(loadavg()[0]!) });
    }
  } finally {
    for (const p of pools) await p.end().catch(() => {});
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

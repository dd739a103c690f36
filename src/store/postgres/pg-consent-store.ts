import type pg from 'pg';
import { currentConsent, type ConsentEvent, type ConsentState, type NewConsentEvent } from '../../domain/consent.ts';
import { AppError } from '../../domain/errors.ts';
import { ChainWalker, type ChainVerification } from '../../domain/ledger/ledger-chain.ts';
import { ledgerHash, sha256Hex, type LedgerRecord } from '../../domain/ledger/ledger-record.ts';
import type { AsyncConsentLedger } from '../../domain/ports/async-consent-ledger.ts';
import type { AppendCheck, LedgerFilter, LedgerRecordWithScript } from '../../domain/ports/consent-ledger.ts';
import { currentConsentIdSql } from '../current-consent-sql.ts';
import { ledgerFilterSql } from '../ledger-filter-sql.ts';
import { LEDGER_COLUMNS, LEDGER_WITH_SCRIPT, tupleToRecord, tupleToRecordWithScript, unhashedRecord, type LedgerTuple, type LedgerTupleWithScript } from '../ledger-row.ts';
import { inPgTransaction, positional, type PgQueryable } from './pg-database.ts';
import { lockPairForStop } from './pg-pair-write-lock.ts';

/**
 * The ledger's advisory lock, `pg_advisory_xact_lock(CLASS, LEDGER)`: every append takes it in its
 * transaction before it reads the newest row, and PostgreSQL releases it at commit or rollback, so
 * appends from every connection of every node form one chain. The two-int form keeps callkeeper's
 * keys apart from single-bigint keys (Kysely's migration lock is one).
 */
export const LOCK_CLASS = 0x434b4442; // "CKDB", the SQLite application_id (src/store/README.md)
export const LEDGER_LOCK = 1;

/** Rows per page when walking the whole ledger (verify, records): one page in memory at a time. */
const PAGE = 1000;

const LATEST_SQL = `${LEDGER_WITH_SCRIPT} WHERE l.id = ${currentConsentIdSql('$1', '$2')}`;

function toEvent(t: LedgerTupleWithScript): ConsentEvent {
  return {
    id: t[0],
    at: t[1],
    event: t[5],
    businessId: t[2],
    did: t[3],
    consumer: t[4],
    method: t[6],
    scriptVersion: t[7],
    scriptText: t[16],
    transcript: t[9],
    audioPath: t[10],
    audioSha256: t[11],
    callId: t[12],
    source: t[13],
    prevHash: t[14],
    hash: t[15],
  };
}

/**
 * The consent ledger on PostgreSQL: the same rows, hashes and chain rule as SqliteConsentStore (the
 * record and its hash come from src/domain/ledger/ledger-record.ts, the walk from ledger-chain.ts), so
 * `consent verify` reads either the same way. An append runs in one transaction: the ledger's advisory
 * lock, the newest row read after it, the insert; UPDATE, DELETE and TRUNCATE are refused by triggers
 * (migrations/pg-001-core.ts).
 *
 * Built over a pool, each call is its own transaction; `inTransaction(client)` gives a store bound to a
 * connection whose transaction the caller runs (the outbox's `atomically`).
 */
export class PgConsentStore implements AsyncConsentLedger {
  private readonly pool: pg.Pool;
  private readonly client: pg.PoolClient | undefined;
  private readonly now: () => number;

  constructor(pool: pg.Pool, clock: { now(): number } = { now: Date.now }, client?: pg.PoolClient) {
    this.pool = pool;
    this.client = client;
    this.now = () => clock.now();
  }

  /** This store on `client`, whose open transaction its calls join (they neither begin nor commit). */
  inTransaction(client: pg.PoolClient): PgConsentStore {
    return new PgConsentStore(this.pool, { now: this.now }, client);
  }

  private get db(): PgQueryable {
    return this.client ?? this.pool;
  }

  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.client ? fn(this.client) : inPgTransaction(this.pool, fn);
  }

  async append(event: NewConsentEvent): Promise<ConsentEvent> {
    return this.tx(async (c) => {
      await lockStoppedPairs(c, [event]);
      return this.appendLocked(c, event);
    });
  }

  async appendUnless(event: NewConsentEvent, refuse: (latest: ConsentEvent | undefined) => boolean): Promise<ConsentEvent | undefined> {
    return this.tx(async (c) => {
      // The locks first, so no other append lands between the judgement and the append.
      await lockStoppedPairs(c, [event]);
      await lockLedger(c);
      return refuse(await latestOn(c, event.businessId, event.consumer)) ? undefined : this.appendLocked(c, event);
    });
  }

  async appendAll(events: readonly NewConsentEvent[], check?: AppendCheck): Promise<ConsentEvent[]> {
    return this.tx(async (c) => {
      const out: ConsentEvent[] = [];
      // The locks first, so no other append lands between a check and the append it allows (the pairs'
      // before the ledger's, in every path, so two appends never wait on each other in a circle).
      await lockStoppedPairs(c, events);
      if (events.length > 0) await lockLedger(c);
      for (const [i, e] of events.entries()) {
        check?.(e, i, await latestOn(c, e.businessId, e.consumer));
        out.push(await this.appendLocked(c, e));
      }
      return out;
    });
  }

  /** Inside the caller's transaction: the lock (re-entrant within it), the newest row, then the insert. */
  private async appendLocked(c: pg.PoolClient, e: NewConsentEvent): Promise<ConsentEvent> {
    const at = e.at ?? this.now();
    // Refused before anything is written or locked, as on SQLite.
    if (!Number.isSafeInteger(at) || at < 0) throw new AppError('INPUT.INVALID', 'consent event time must be UTC milliseconds');
    await lockLedger(c);
    const last = (await c.query<{ id: number; hash: string }>('SELECT id, hash FROM consent_ledger ORDER BY id DESC LIMIT 1')).rows[0];
    let scriptSha: string | null = null;
    if (e.scriptText !== null) {
      scriptSha = sha256Hex(e.scriptText);
      await c.query('INSERT INTO consent_scripts (sha256, version, text) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [
        scriptSha,
        e.scriptVersion ?? 'unversioned',
        e.scriptText,
      ]);
    }
    const unhashed = unhashedRecord(e, at, scriptSha, last);
    const hash = ledgerHash(unhashed);
    const u = unhashed;
    await c.query(
      `INSERT INTO consent_ledger (id, at, business_id, did, consumer, event, method, script_version, script_sha256,
         transcript, audio_path, audio_sha256, call_id, source, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [u.id, at, u.business_id, u.did, u.consumer, u.event, u.method, u.script_version, u.script_sha256, u.transcript, u.audio_path, u.audio_sha256, u.call_id, u.source, u.prev_hash, hash],
    );
    return toEvent([u.id, at, u.business_id, u.did, u.consumer, u.event, u.method, u.script_version, u.script_sha256, u.transcript, u.audio_path, u.audio_sha256, u.call_id, u.source, u.prev_hash, hash, e.scriptText]);
  }

  latest(businessId: number, consumer: string): Promise<ConsentEvent | undefined> {
    return latestOn(this.db, businessId, consumer);
  }

  async current(businessId: number, consumer: string): Promise<ConsentState> {
    return currentConsent(await this.latest(businessId, consumer));
  }

  async history(consumer: string, businessId?: number): Promise<ConsentEvent[]> {
    const { terms, params } = ledgerFilterSql({ consumer, ...(businessId === undefined ? {} : { businessId }) });
    const q = positional(`${LEDGER_WITH_SCRIPT} WHERE ${terms.join(' AND ')} ORDER BY l.id`, params);
    const r = await this.db.query<LedgerTupleWithScript>({ text: q.text, values: q.values, rowMode: 'array' });
    return r.rows.map(toEvent);
  }

  async *records(filter: LedgerFilter = {}): AsyncIterableIterator<LedgerRecord> {
    for await (const t of this.pages(false, filter)) yield tupleToRecord(t);
  }

  async *recordsWithScript(filter: LedgerFilter = {}): AsyncIterableIterator<LedgerRecordWithScript> {
    for await (const t of this.pages(true, filter)) yield tupleToRecordWithScript(t as LedgerTupleWithScript);
  }

  async record(id: number): Promise<LedgerRecordWithScript | undefined> {
    const r = await this.db.query<LedgerTupleWithScript>({ text: `${LEDGER_WITH_SCRIPT} WHERE l.id = $1`, values: [id], rowMode: 'array' });
    const t = r.rows[0];
    return t && tupleToRecordWithScript(t);
  }

  /**
   * Walks the chain in id order a page at a time (keyset paging on the primary key: no cursor or
   * transaction held open across pages, and appends meanwhile only extend the walk), then checks each
   * stored script text against its sha256, as SqliteConsentStore.verify does.
   */
  async verify(): Promise<ChainVerification> {
    const walker = new ChainWalker();
    for await (const t of this.pages(false, {})) {
      const fault = walker.check(tupleToRecord(t));
      if (fault) return { ok: false, count: walker.count, badId: t[0], reason: fault.reason, detail: fault.detail };
    }
    const scripts = await this.db.query<{ sha256: string; text: string }>('SELECT sha256, text FROM consent_scripts');
    for (const s of scripts.rows) {
      if (sha256Hex(s.text) === s.sha256) continue;
      const first = (await this.db.query<{ id: number | null }>('SELECT min(id) AS id FROM consent_ledger WHERE script_sha256 = $1', [s.sha256])).rows[0]?.id ?? null;
      if (first !== null) {
        return { ok: false, count: walker.count, badId: first, reason: 'script-mismatch', detail: `the script text of record ${first} no longer matches its sha256: it was edited` };
      }
    }
    return { ok: true, count: walker.count, head: walker.head, lastId: walker.lastId };
  }

  private async *pages(withScript: boolean, f: LedgerFilter): AsyncIterableIterator<LedgerTuple | LedgerTupleWithScript> {
    const { terms, params } = ledgerFilterSql(f);
    const base = withScript ? LEDGER_WITH_SCRIPT : `SELECT ${LEDGER_COLUMNS} FROM consent_ledger l`;
    const q = positional(`${base} WHERE l.id > @afterId${terms.length ? ` AND ${terms.join(' AND ')}` : ''} ORDER BY l.id LIMIT ${PAGE}`, { ...params, afterId: 0 });
    const afterIdAt = 0; // `afterId` is the first parameter named in the text, so $1
    let after = 0;
    for (;;) {
      q.values[afterIdAt] = after;
      const r = await this.db.query<LedgerTuple>({ text: q.text, values: q.values, rowMode: 'array' });
      for (const t of r.rows) yield t;
      const last = r.rows.at(-1);
      if (!last || r.rows.length < PAGE) return;
      after = last[0];
    }
  }
}

/** A revocation waits for the texts being written to its pair right now, on any node (pg-pair-write-lock.ts); pairs in a fixed order. */
async function lockStoppedPairs(c: PgQueryable, events: readonly NewConsentEvent[]): Promise<void> {
  const pairs = [...new Set(events.filter((e) => e.event === 'revoked').map((e) => `${e.businessId}\u0000${e.consumer}`))].sort();
  for (const p of pairs) {
    const [b, consumer] = p.split('\u0000') as [string, string];
    await lockPairForStop(c, Number(b), consumer);
  }
}

async function lockLedger(c: PgQueryable): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LEDGER_LOCK]);
}

async function latestOn(db: PgQueryable, businessId: number, consumer: string): Promise<ConsentEvent | undefined> {
  const r = await db.query<LedgerTupleWithScript>({ text: LATEST_SQL, values: [businessId, consumer], rowMode: 'array' });
  const t = r.rows[0];
  return t && toEvent(t);
}

import type { Statement } from 'better-sqlite3';
import { currentConsent, type ConsentEvent, type ConsentState, type NewConsentEvent } from '../domain/consent.ts';
import { AppError } from '../domain/errors.ts';
import { ChainWalker, type ChainVerification } from '../domain/ledger/ledger-chain.ts';
import { ledgerHash, ledgerTime, sha256Hex, type LedgerRecord } from '../domain/ledger/ledger-record.ts';
import type { AppendCheck, ConsentLedger, LedgerFilter, LedgerRecordWithScript } from '../domain/ports/consent-ledger.ts';
import { ledgerFilterSql } from './ledger-filter-sql.ts';
import { LEDGER_COLUMNS, LEDGER_WITH_SCRIPT, tupleToRecord, unhashedRecord, type LedgerTuple } from './ledger-row.ts';
import { currentConsentIdSql } from './current-consent-sql.ts';
import type { SqliteDb } from './sqlite-database.ts';

/** A ledger row as stored: like LedgerRecord but `at` in UTC milliseconds. */
interface LedgerRow extends Omit<LedgerRecord, 'at'> {
  readonly at: number;
}
interface LedgerRowWithScript extends LedgerRow {
  readonly script_text: string | null;
}

export function toLedgerRecord(r: LedgerRow): LedgerRecord {
  return {
    id: r.id,
    at: ledgerTime(r.at),
    business_id: r.business_id,
    did: r.did,
    consumer: r.consumer,
    event: r.event,
    method: r.method,
    script_version: r.script_version,
    script_sha256: r.script_sha256,
    transcript: r.transcript,
    audio_path: r.audio_path,
    audio_sha256: r.audio_sha256,
    call_id: r.call_id,
    source: r.source,
    prev_hash: r.prev_hash,
    hash: r.hash,
  };
}

function toEvent(r: LedgerRowWithScript): ConsentEvent {
  return {
    id: r.id,
    at: r.at,
    event: r.event,
    businessId: r.business_id,
    did: r.did,
    consumer: r.consumer,
    method: r.method,
    scriptVersion: r.script_version,
    scriptText: r.script_text,
    transcript: r.transcript,
    audioPath: r.audio_path,
    audioSha256: r.audio_sha256,
    callId: r.call_id,
    source: r.source,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * The consent ledger on SQLite. Appends run in an IMMEDIATE transaction that reads the last
 * row's hash and inserts the next row under the same write lock, so that several processes appending
 * at once still produce one valid chain. UPDATE and DELETE are refused by triggers (migration 001).
 */
export class SqliteConsentStore implements ConsentLedger {
  private readonly db: SqliteDb;
  private readonly now: () => number;
  private readonly stmts: {
    last: Statement;
    insertScript: Statement;
    insert: Statement;
    latest: Statement;
    byId: Statement;
  };

  constructor(db: SqliteDb, clock: { now(): number } = { now: Date.now }) {
    this.db = db;
    this.now = () => clock.now();
    this.stmts = {
      last: db.prepare('SELECT id, hash FROM consent_ledger ORDER BY id DESC LIMIT 1'),
      insertScript: db.prepare('INSERT OR IGNORE INTO consent_scripts (sha256, version, text) VALUES (?, ?, ?)'),
      insert: db.prepare(
        `INSERT INTO consent_ledger (id, at, business_id, did, consumer, event, method, script_version, script_sha256,
           transcript, audio_path, audio_sha256, call_id, source, prev_hash, hash)
         VALUES (@id, @at, @business_id, @did, @consumer, @event, @method, @script_version, @script_sha256,
           @transcript, @audio_path, @audio_sha256, @call_id, @source, @prev_hash, @hash)`,
      ),
      latest: db.prepare(`${LEDGER_WITH_SCRIPT} WHERE l.id = ${currentConsentIdSql('?', '?')}`),
      byId: db.prepare(`${LEDGER_WITH_SCRIPT} WHERE l.id = ?`),
    };
  }

  append(event: NewConsentEvent): ConsentEvent {
    return this.db.transaction((e: NewConsentEvent) => this.appendLocked(e)).immediate(event);
  }

  appendUnless(event: NewConsentEvent, refuse: (latest: ConsentEvent | undefined) => boolean): ConsentEvent | undefined {
    return this.db
      .transaction((e: NewConsentEvent) => (refuse(this.latest(e.businessId, e.consumer)) ? undefined : this.appendLocked(e)))
      .immediate(event);
  }

  appendAll(events: readonly NewConsentEvent[], check?: AppendCheck): ConsentEvent[] {
    return this.db
      .transaction((es: readonly NewConsentEvent[]) =>
        es.map((e, i) => {
          check?.(e, i, this.latest(e.businessId, e.consumer));
          return this.appendLocked(e);
        }),
      )
      .immediate(events);
  }

  /** Must run inside an IMMEDIATE transaction: the read of the last hash and the insert share the lock. */
  private appendLocked(e: NewConsentEvent): ConsentEvent {
    const last = this.stmts.last.get() as { id: number; hash: string } | undefined;
    let scriptSha: string | null = null;
    if (e.scriptText !== null) {
      scriptSha = sha256Hex(e.scriptText);
      this.stmts.insertScript.run(scriptSha, e.scriptVersion ?? 'unversioned', e.scriptText);
    }
    const at = e.at ?? this.now();
    if (!Number.isSafeInteger(at) || at < 0) throw new AppError('INPUT.INVALID', 'consent event time must be UTC milliseconds');
    const unhashed = unhashedRecord(e, at, scriptSha, last);
    const hash = ledgerHash(unhashed);
    this.stmts.insert.run({ ...unhashed, at, hash });
    return toEvent({ ...unhashed, at, hash, script_text: e.scriptText });
  }

  latest(businessId: number, consumer: string): ConsentEvent | undefined {
    const r = this.stmts.latest.get(businessId, consumer) as LedgerRowWithScript | undefined;
    return r && toEvent(r);
  }

  current(businessId: number, consumer: string): ConsentState {
    return currentConsent(this.latest(businessId, consumer));
  }

  /** A number's whole history in the order it was recorded (append order: the last one is the current one). */
  history(consumer: string, businessId?: number): ConsentEvent[] {
    const rows = this.query(true, { consumer, ...(businessId === undefined ? {} : { businessId }) }, 'l.id').all();
    return (rows as LedgerRowWithScript[]).map(toEvent);
  }

  *records(filter: LedgerFilter = {}): IterableIterator<LedgerRecord> {
    // The export's hot path (a million rows): raw tuples, not row objects.
    for (const t of this.query(false, filter, 'l.id', true).iterate() as IterableIterator<LedgerTuple>) yield tupleToRecord(t);
  }

  *recordsWithScript(filter: LedgerFilter = {}): IterableIterator<LedgerRecordWithScript> {
    for (const r of this.query(true, filter, 'l.id').iterate() as IterableIterator<LedgerRowWithScript>) {
      yield { ...toLedgerRecord(r), script_text: r.script_text };
    }
  }

  record(id: number): LedgerRecordWithScript | undefined {
    const r = this.stmts.byId.get(id) as LedgerRowWithScript | undefined;
    return r && { ...toLedgerRecord(r), script_text: r.script_text };
  }

  /**
   * Walks every row in id order through the chain rule (streaming: one row in memory at a time), then
   * checks that each stored script text still hashes to its key, naming the first row that uses a
   * tampered script.
   */
  verify(): ChainVerification {
    const walker = new ChainWalker();
    const all = this.db.prepare(`SELECT ${LEDGER_COLUMNS} FROM consent_ledger l ORDER BY l.id`).raw();
    for (const t of all.iterate() as IterableIterator<LedgerTuple>) {
      const fault = walker.check(tupleToRecord(t));
      if (fault) return { ok: false, count: walker.count, badId: t[0], reason: fault.reason, detail: fault.detail };
    }
    for (const s of this.db.prepare('SELECT sha256, text FROM consent_scripts').iterate() as IterableIterator<{ sha256: string; text: string }>) {
      if (sha256Hex(s.text) === s.sha256) continue;
      const first = this.db.prepare('SELECT min(id) FROM consent_ledger WHERE script_sha256 = ?').pluck().get(s.sha256) as number | null;
      if (first !== null) {
        return {
          ok: false,
          count: walker.count,
          badId: first,
          reason: 'script-mismatch',
          detail: `the script text of record ${first} no longer matches its sha256: it was edited`,
        };
      }
    }
    return { ok: true, count: walker.count, head: walker.head, lastId: walker.lastId };
  }

  /** A fresh statement per call: a cached one could not be iterated twice at once. */
  private query(withScript: boolean, f: LedgerFilter, order: string, raw = false): { all(): unknown[]; iterate(): IterableIterator<unknown> } {
    const { terms: where, params } = ledgerFilterSql(f);
    const base = withScript ? LEDGER_WITH_SCRIPT : `SELECT ${LEDGER_COLUMNS} FROM consent_ledger l`;
    const stmt = this.db.prepare(`${base}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}`).raw(raw);
    return { all: () => stmt.all(params), iterate: () => stmt.iterate(params) };
  }
}

import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { LedgerRecord } from '../../domain/ledger/ledger-record.ts';
import type { AsyncLedgerChainReader } from '../../domain/ports/async-ledger-chain-reader.ts';
import { LEDGER_COLUMNS, tupleToRecord, type LedgerTuple } from '../ledger-row.ts';
import { inPgTransaction, type PgQueryable } from './pg-database.ts';
import { LEDGER_LOCK, LOCK_CLASS } from './pg-consent-store.ts';

/** Rows per page when walking the records after a checkpoint: one page in memory at a time. */
const PAGE = 1000;

/**
 * The ledger reads behind signed checkpoints on PostgreSQL (src/store/postgres/README.md, "The ledger").
 * `exclusive` takes the ledger's advisory lock, the one every append takes before it reads the newest
 * row, in a READ COMMITTED transaction: while it is held no node appends, and every read sees exactly
 * the records committed before it (an append commits before it lets the lock go), so a checkpoint never
 * names a record that is not committed. Outside `exclusive`, reads see committed records only; ids are
 * given out under the lock, so what is committed is always records 1..n without a gap.
 */
export class PgLedgerChainReader implements AsyncLedgerChainReader {
  private readonly pool: pg.Pool;
  private readonly db: PgQueryable;

  constructor(pool: pg.Pool, client?: pg.PoolClient) {
    this.pool = pool;
    this.db = client ?? pool;
  }

  async lastId(): Promise<number> {
    const r = await this.db.query<{ id: number | null }>('SELECT max(id) AS id FROM consent_ledger');
    return r.rows[0]?.id ?? 0;
  }

  async hashAt(id: number): Promise<string | undefined> {
    const r = await this.db.query<{ hash: string }>('SELECT hash FROM consent_ledger WHERE id = $1', [id]);
    return r.rows[0]?.hash;
  }

  /** The hashes of the records `ids` name that exist (for `consent verify`: one statement for every checkpoint). */
  async hashesAt(ids: readonly number[]): Promise<ReadonlyMap<number, string>> {
    const r = await this.db.query<{ id: number; hash: string }>('SELECT id, hash FROM consent_ledger WHERE id = ANY($1::bigint[])', [[...new Set(ids)]]);
    return new Map(r.rows.map((x) => [x.id, x.hash]));
  }

  /** Keyset pages on the primary key: no cursor or transaction held open across pages. */
  async *recordsAfter(id: number): AsyncIterableIterator<LedgerRecord> {
    let after = id;
    for (;;) {
      const r = await this.db.query<LedgerTuple>({
        text: `SELECT ${LEDGER_COLUMNS} FROM consent_ledger l WHERE l.id > $1 ORDER BY l.id LIMIT ${PAGE}`,
        values: [after],
        rowMode: 'array',
      });
      for (const t of r.rows) yield tupleToRecord(t);
      const last = r.rows.at(-1);
      if (!last || r.rows.length < PAGE) return;
      after = last[0];
    }
  }

  exclusive<T>(fn: (locked: AsyncLedgerChainReader) => Promise<T>): Promise<T> {
    if (this.db !== this.pool) return Promise.reject(new AppError('INTERNAL', 'a ledger checkpoint cannot be taken inside another transaction'));
    return inPgTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LEDGER_LOCK]);
      return fn(new PgLedgerChainReader(this.pool, c));
    });
  }
}

import type { Statement } from 'better-sqlite3';
import { AppError } from '../domain/errors.ts';
import type { LedgerRecord } from '../domain/ledger/ledger-record.ts';
import type { LedgerChainReader } from '../domain/ports/ledger-chain-reader.ts';
import { LEDGER_COLUMNS, tupleToRecord, type LedgerTuple } from './ledger-row.ts';
import type { SqliteDb } from './sqlite-database.ts';

/**
 * The ledger reads behind signed checkpoints, on the `consent_ledger` table. `exclusive`
 * takes SQLite's write lock (BEGIN IMMEDIATE): the service and a CLI `ledger checkpoint` then never
 * write interleaved checkpoint lines, and no record is appended between reading the head and signing it.
 */
export class SqliteLedgerChainReader implements LedgerChainReader {
  private readonly db: SqliteDb;
  private readonly stmts: { lastId: Statement; hashAt: Statement; after: Statement };

  constructor(db: SqliteDb) {
    this.db = db;
    this.stmts = {
      lastId: db.prepare('SELECT max(id) FROM consent_ledger').pluck(),
      hashAt: db.prepare('SELECT hash FROM consent_ledger WHERE id = ?').pluck(),
      after: db.prepare(`SELECT ${LEDGER_COLUMNS} FROM consent_ledger l WHERE l.id > ? ORDER BY l.id`).raw(),
    };
  }

  lastId(): number {
    return (this.stmts.lastId.get() as number | null) ?? 0;
  }

  hashAt(id: number): string | undefined {
    return this.stmts.hashAt.get(id) as string | undefined;
  }

  *recordsAfter(id: number): IterableIterator<LedgerRecord> {
    for (const t of this.stmts.after.iterate(id) as IterableIterator<LedgerTuple>) yield tupleToRecord(t);
  }

  exclusive<T>(fn: () => T): T {
    if (this.db.inTransaction) throw new AppError('INTERNAL', 'a ledger checkpoint cannot be taken inside another transaction');
    return this.db.transaction(fn).immediate();
  }
}

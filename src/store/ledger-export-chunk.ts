import { isUtf8 } from 'node:buffer';
import { formatLedgerRow, LEDGER_EXPORT_FRAMES, withScriptText, type LedgerExportFormat } from '../domain/ledger/ledger-export-format.ts';
import type { LedgerFilter } from '../domain/ports/consent-ledger.ts';
import { ledgerChunkSql, ledgerCsvChunkSql } from './ledger-export-sql.ts';
import { ledgerFilterSql } from './ledger-filter-sql.ts';
import { LEDGER_COLUMNS, LEDGER_WITH_SCRIPT, tupleToRecord, tupleToRecordWithScript, type LedgerTuple, type LedgerTupleWithScript } from './ledger-row.ts';
import type { SqliteDb } from './sqlite-database.ts';

type Statement = ReturnType<SqliteDb['prepare']>;

/** An inclusive range of ledger ids. */
export interface IdRange {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Formats the export rows of one id range: UTF-8 bytes, or a string for CSV (see ledger-export-sql.ts
 * for why). SQLite builds the chunk: one value crosses into JavaScript per chunk. CSV tries the fast
 * statement first (cells of fixed form checked once per chunk) and, when that chunk is not plain, the
 * statement that checks every cell. A chunk holding a row the SQL cannot format exactly (marked by a
 * NUL), or text that is not valid UTF-8 (which JavaScript reads as U+FFFD), is formatted again here in
 * JavaScript, row by row, as the export always was.
 */
export function ledgerChunkFormatter(db: SqliteDb, format: LedgerExportFormat, filter: LedgerFilter): (range: IdRange) => string | Uint8Array {
  const { terms, params } = ledgerFilterSql(filter, { byIdRange: true });
  const where = ['l.id BETWEEN @lo AND @hi', ...terms].join(' AND ');
  const fast = format === 'csv' ? db.prepare(ledgerCsvChunkSql(where)).pluck() : undefined;
  let perRow: Statement | undefined;
  let rowByRow: ((range: IdRange) => string) | undefined;
  return (range) => {
    const bind = { ...params, lo: range.lo, hi: range.hi };
    let chunk: string | Buffer | null = fast ? (fast.get(bind) as string | null) : null;
    if (chunk === null) {
      perRow ??= db.prepare(ledgerChunkSql(format, where)).pluck();
      chunk = (perRow.get(bind) as string | Buffer | null) ?? EMPTY;
    }
    if (typeof chunk === 'string' ? !chunk.includes('\0') : chunk.indexOf(0) === -1 && isUtf8(chunk)) return chunk;
    rowByRow ??= ledgerChunkFormatterJs(db, format, filter);
    return rowByRow(range);
  };
}

const EMPTY = Buffer.alloc(0);

/**
 * The same chunks formatted in JavaScript from raw tuples (better-sqlite3 builds arrays about twice as
 * fast as objects, and `all()` for a chunk costs less than stepping an iterator row by row): the
 * fallback above, and the oracle test/store/ledger-export-sql.test.ts compares the SQL with.
 */
export function ledgerChunkFormatterJs(db: SqliteDb, format: LedgerExportFormat, filter: LedgerFilter): (range: IdRange) => string {
  const withScript = withScriptText(format);
  const { terms, params } = ledgerFilterSql(filter, { byIdRange: true });
  const base = withScript ? LEDGER_WITH_SCRIPT : `SELECT ${LEDGER_COLUMNS} FROM consent_ledger l`;
  const stmt = db.prepare(`${base} WHERE ${['l.id BETWEEN @lo AND @hi', ...terms].join(' AND ')} ORDER BY l.id`).raw();
  const between = LEDGER_EXPORT_FRAMES[format].between;
  return ({ lo, hi }) => {
    const rows = stmt.all({ ...params, lo, hi });
    const parts = new Array<string>(rows.length);
    if (withScript) {
      const tuples = rows as LedgerTupleWithScript[];
      for (let i = 0; i < tuples.length; i++) parts[i] = formatLedgerRow(format, tupleToRecordWithScript(tuples[i]!));
    } else {
      const tuples = rows as LedgerTuple[];
      for (let i = 0; i < tuples.length; i++) parts[i] = formatLedgerRow(format, tupleToRecord(tuples[i]!));
    }
    return parts.join(between);
  };
}

/**
 * The ids an export walks, fixed when it starts: up to the highest id committed now. The ledger is
 * append-only (triggers refuse UPDATE and DELETE) and ids are assigned in order under the write lock,
 * so rows up to that id never change, and readers on other connections see exactly the same rows
 * without sharing a transaction. Narrowed through the indexes when the filter has an indexed term;
 * undefined when nothing matches.
 */
export function ledgerExportBounds(db: SqliteDb, filter: LedgerFilter): IdRange | undefined {
  const top = db.prepare('SELECT max(id) FROM consent_ledger').pluck().get() as number | null;
  if (top === null) return undefined;
  const indexed = filter.businessId !== undefined || filter.consumer !== undefined || filter.since !== undefined || filter.until !== undefined;
  if (!indexed) {
    const bottom = db.prepare('SELECT min(id) FROM consent_ledger').pluck().get() as number;
    return { lo: bottom, hi: top };
  }
  const { terms, params } = ledgerFilterSql(filter);
  const r = db.prepare(`SELECT min(l.id), max(l.id) FROM consent_ledger l WHERE ${[...terms, 'l.id <= @top'].join(' AND ')}`).raw().get({ ...params, top }) as [number | null, number | null];
  return r[0] === null || r[1] === null ? undefined : { lo: r[0], hi: r[1] };
}

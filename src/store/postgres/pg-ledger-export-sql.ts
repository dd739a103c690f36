import type { LedgerExportFormat } from '../../domain/ledger/ledger-export-format.ts';
import type { LedgerFilter } from '../../domain/ports/consent-ledger.ts';
import { ledgerFilterSql } from '../ledger-filter-sql.ts';

/**
 * `consent export`'s rows built by PostgreSQL: one text per row holding exactly the bytes
 * src/domain/ledger/ledger-export-format.ts writes (a CSV line with its formula guard, quoting and CRLF,
 * or the object JSON.stringify writes), as ../ledger-export-sql.ts has SQLite build them. The rows leave
 * the server through `COPY ... TO STDOUT (FORMAT binary)` (pg-ledger-export-reader.ts): COPY's csv and
 * text formats would quote or escape the line again (it ends with CRLF, a transcript holds newlines),
 * binary hands each text over as its bytes behind a length.
 *
 * The columns are typed here (bigint, text), so the only row this SQL cannot write as JavaScript does is
 * a time JavaScript writes in its six-digit-year form (`exportNeedsJs`); the reader formats the whole
 * export in JavaScript then. test/store/postgres/pg-ledger-export.test.ts compares with SQLite's export.
 */

/** `new Date(ms).toISOString()` has the `YYYY-MM-DDTHH:MM:SS.sssZ` form below this (year 10000): ledger-record.ts. */
export const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;

/**
 * ISO-8601 UTC with milliseconds, as `ledgerTime` writes it: whole seconds through to_timestamp (an
 * integer, so exact in its double), the milliseconds as integer arithmetic. For 0 <= at < MAX only.
 */
const isoAt = `to_char(to_timestamp(l.at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.') || to_char(l.at % 1000, 'FM000') || 'Z'`;

/** csvCell's formula guard: a cell starting with = + - @ TAB or CR gets a leading quote mark. */
const guarded = (x: string): string => `CASE WHEN left(${x}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${x} ELSE ${x} END`;
/** csvCell in full: NULL as nothing, the guard, then RFC 4180 quoting when the cell holds a quote, comma, CR or LF. */
const csvText = (x: string): string => `CASE WHEN ${x} IS NULL THEN '' WHEN ${x} ~ E'[",\\r\\n]' THEN '"' || replace(${guarded(x)}, '"', '""') || '"' ELSE ${guarded(x)} END`;

const CSV_COLUMNS = ['id', 'at', 'business_id', 'did', 'consumer', 'event', 'method', 'script_version', 'script_sha256', 'transcript', 'audio_path', 'audio_sha256', 'call_id', 'source', 'prev_hash', 'hash'];
const NUMBERS = new Set(['id', 'business_id', 'call_id']);

/** ledgerCsvLine: concat() writes a NULL call_id as nothing, as csvCell does. */
const CSV_LINE = `concat(${CSV_COLUMNS.map((c) => (NUMBERS.has(c) ? `l.${c}` : c === 'at' ? isoAt : csvText(`l.${c}`))).join(`, ',', `)}, E'\\r\\n')`;

/**
 * JSON.stringify of a LedgerRecordWithScript: same keys in the same order, no spaces (json_build_object
 * writes ` : ` and jsonb sorts its keys, so the object is written by hand). to_json escapes a text as
 * JSON.stringify does: `"`, `\`, \b \f \n \r \t, every other control character as \u00xx in lower case.
 */
const json = (x: string, nullable: boolean): string => (nullable ? `coalesce(to_json(${x})::text, 'null')` : `to_json(${x})::text`);
const JSON_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'l.id'],
  ['at', `'"' || ${isoAt} || '"'`],
  ['business_id', 'l.business_id'],
  ...(['did', 'consumer', 'event', 'method'] as const).map((c) => [c, json(`l.${c}`, false)] as const),
  ...(['script_version', 'script_sha256', 'transcript', 'audio_path', 'audio_sha256'] as const).map((c) => [c, json(`l.${c}`, true)] as const),
  ['call_id', `coalesce(l.call_id::text, 'null')`],
  ...(['source', 'prev_hash', 'hash'] as const).map((c) => [c, json(`l.${c}`, false)] as const),
  ['script_text', json('s.text', true)],
];
const JSON_OBJECT = `concat(${JSON_KEYS.map(([k, v], i) => `'${i === 0 ? '{' : ','}"${k}":', ${v}`).join(', ')}, '}')`;

/**
 * The COPY statement of an export: one row per ledger record matching `filter`, in id order, formatted
 * for `format` (a CSV line with its CRLF, an NDJSON line with its LF, a bare JSON object). COPY takes no
 * bind parameters, so the filter's values are written in as literals: numbers as safe integers (the CLI
 * parsed them), texts through `escapeLiteral` (node-postgres').
 */
export function pgLedgerExportCopySql(format: LedgerExportFormat, filter: LedgerFilter, escapeLiteral: (s: string) => string): string {
  const { terms, params } = ledgerFilterSql(filter);
  const where = terms.map((t) => t.replace(/@(\w+)/g, (_, name: string) => literal(params[name], escapeLiteral))).join(' AND ');
  const row = format === 'csv' ? CSV_LINE : format === 'ndjson' ? `${JSON_OBJECT} || E'\\n'` : JSON_OBJECT;
  const from = format === 'csv' ? 'consent_ledger l' : 'consent_ledger l LEFT JOIN consent_scripts s ON s.sha256 = l.script_sha256';
  return `COPY (SELECT ${row} FROM ${from}${where ? ` WHERE ${where}` : ''} ORDER BY l.id) TO STDOUT (FORMAT binary)`;
}

function literal(v: unknown, escapeLiteral: (s: string) => string): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string') return escapeLiteral(v);
  throw new TypeError(`ledger filter value of type ${typeof v}`);
}

/**
 * Whether a record's time is one the SQL above does not write as JavaScript does (before 1970 or from
 * year 10000 on): one query on the `at` index, over the whole ledger whatever the filter.
 */
export const EXPORT_NEEDS_JS_SQL = `SELECT EXISTS (SELECT 1 FROM consent_ledger WHERE at < 0 OR at >= ${MAX_FOUR_DIGIT_YEAR_MS}) AS js`;

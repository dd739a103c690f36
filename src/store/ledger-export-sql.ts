import type { LedgerExportFormat } from '../domain/ledger/ledger-export-format.ts';

/**
 * The export's rows built by SQLite itself: one SQL expression per row that yields exactly the bytes
 * src/domain/ledger/ledger-export-format.ts writes (a CSV line with its quoting and formula guard, or
 * an NDJSON/JSON object), so that a chunk crosses into JavaScript as one string instead of 16 values a
 * row. test/store/ledger-export-sql.test.ts compares both, byte for byte, on hostile content.
 *
 * A row whose values are not of the types the schema declares (a real in `at`, a blob, a number out of
 * JavaScript's safe range: only a tampered or foreign file holds those) comes out as a NUL, and the
 * reader formats that chunk in JavaScript instead (see `ledgerChunkFormatter`), so that those rows
 * come out exactly as before too.
 */

/** Largest integer a JavaScript number holds exactly: better-sqlite3 returns integers as numbers. */
const SAFE = 9_007_199_254_740_991;
/** `new Date(ms).toISOString()` has the `YYYY-MM-DDTHH:MM:SS.sssZ` form for years 0000-9999 only. */
const MAX_ISO_MS = 253_402_300_799_999;

/**
 * ISO-8601 UTC with milliseconds, as `ledgerTime` writes it. `unixepoch` turns the seconds into whole
 * milliseconds (rounded), and `%f` prints them as SS.SSS.
 */
const isoAt = (at: string): string => `strftime('%Y-%m-%dT%H:%M:%fZ', ${at} / 1000.0, 'unixepoch')`;

const TEXT_COLUMNS = ['did', 'consumer', 'event', 'method', 'script_version', 'script_sha256', 'transcript', 'audio_path', 'audio_sha256', 'source', 'prev_hash', 'hash'] as const;
const safeInt = (x: string): string => `(typeof(${x}) = 'integer' AND ${x} BETWEEN -${SAFE} AND ${SAFE})`;

/** The row holds only what the schema declares, so the SQL expression below writes it as JavaScript would. */
const WELL_TYPED = [
  safeInt('l.id'),
  `typeof(l.at) = 'integer' AND l.at BETWEEN 0 AND ${MAX_ISO_MS}`,
  safeInt('l.business_id'),
  `(l.call_id IS NULL OR ${safeInt('l.call_id')})`,
  ...TEXT_COLUMNS.map((c) => `typeof(l.${c}) IN ('text', 'null')`),
].join(' AND ');

/**
 * csvCell's formula guard: the first character's code point is one of = + - @ TAB CR. unicode() reads
 * only that character (cheaper than substr() or GLOB, bench/export.bench.ts).
 */
const guarded = (x: string): string => `CASE WHEN unicode(${x}) IN (61, 43, 45, 64, 9, 13) THEN '''' || ${x} ELSE ${x} END`;
/** csvCell in full: guard, then RFC 4180 quoting when the cell holds a quote, comma, CR or LF. */
const quotedCell = (x: string): string =>
  `CASE WHEN ${x} IS NULL THEN '' WHEN instr(${x}, '"') OR instr(${x}, ',') OR instr(${x}, char(10)) OR instr(${x}, char(13)) THEN '"' || replace(${guarded(x)}, '"', '""') || '"' ELSE ${guarded(x)} END`;

const CSV_NUMBERS = new Set(['id', 'business_id', 'call_id']);
const CSV_COLUMNS = ['id', 'at', 'business_id', 'did', 'consumer', 'event', 'method', 'script_version', 'script_sha256', 'transcript', 'audio_path', 'audio_sha256', 'call_id', 'source', 'prev_hash', 'hash'];
const CSV_COMMAS = CSV_COLUMNS.length - 1;

/** Columns whose values have a fixed form when the ledger was written by callkeeper (numbers, hashes, enums). */
const CSV_STRUCTURED = ['did', 'consumer', 'event', 'method', 'script_sha256', 'audio_sha256', 'prev_hash', 'hash'];

/**
 * Whether the cells hold no `"`, no control character (CR, LF) and no comma: json_quote() of their
 * concatenation, commas turned into a control character, adds only its two quotes. One concatenation and
 * two tight passes in C; four instr() per cell cost several times the whole line
 * (bench/export.bench.ts). The cells are read straight from the table each time (a subquery's
 * columns would be copied at every use). A NUL in a cell makes length() stop short: not clean.
 */
const clean = (cells: readonly string[]): string =>
  `length(json_quote(replace(concat(${cells.join(', ')}), ',', char(1)))) = 2 + ${cells.map((c) => `ifnull(length(${c}), 0)`).join(' + ')}`;

/**
 * A CSV line. When the columns of fixed form are clean (as they always are unless the file was tampered
 * with), those cells are only guarded and just the free-text cells (script_version, transcript,
 * audio_path, source) go through full quoting: about as cheap as a line without any quoting, where a
 * check of the whole line first cost more than it saved (bench/export.bench.ts). Otherwise every cell
 * is quoted as needed.
 */
function csvLineSql(): string {
  // concat() writes NULL as nothing, as csvCell does.
  const cell = (c: string, text: (x: string) => string): string => (CSV_NUMBERS.has(c) ? `l.${c}` : c === 'at' ? isoAt('l.at') : text(`l.${c}`));
  const line = (text: (c: string) => (x: string) => string): string => `concat(${CSV_COLUMNS.map((c) => cell(c, text(c))).join(", ',', ")}, char(13, 10))`;
  const mixed = line((c) => (CSV_STRUCTURED.includes(c) ? guarded : quotedCell));
  const full = line(() => quotedCell);
  return `CASE WHEN ${clean(CSV_STRUCTURED.map((c) => `l.${c}`))} THEN ${mixed} ELSE ${full} END`;
}

/** The row as JSON.stringify writes a LedgerRecordWithScript: same keys, same order, same escaping. */
const JSON_ROW = `json_object('id', l.id, 'at', ${isoAt('l.at')}, 'business_id', l.business_id, ${TEXT_COLUMNS.slice(0, 9)
  .map((c) => `'${c}', l.${c}`)
  .join(', ')}, 'call_id', l.call_id, ${TEXT_COLUMNS.slice(9)
  .map((c) => `'${c}', l.${c}`)
  .join(', ')}, 'script_text', s.text)`;

/**
 * One statement per format: given `@lo`, `@hi` and the filter's parameters, the rows of that id range
 * formatted and joined (NULL when no row matches). JSON and NDJSON come as the UTF-8 bytes of a BLOB,
 * a Buffer in JavaScript: their chunks hold the script text, and text outside ASCII (the script's em
 * dash) made each chunk a two-byte JavaScript string to decode and encode back, most of NDJSON's
 * overhead (bench/export.bench.ts: ratio 2.24 as text, 1.35 as a BLOB). CSV, ASCII in practice, comes
 * as text: a one-byte string is cheap, and a new Buffer per chunk piled up as external memory until
 * the next GC (peak RSS 79 MB as text, 109 MB as a BLOB). A row the SQL cannot format comes out as a
 * NUL, which the caller looks for (a NUL in the data makes it look too, harmlessly).
 */
export function ledgerChunkSql(format: LedgerExportFormat, where: string): string {
  const scripts = format === 'csv' ? '' : ' LEFT JOIN consent_scripts s ON s.sha256 = l.script_sha256';
  const row = format === 'csv' ? csvLineSql() : `${JSON_ROW}${format === 'ndjson' ? ' || char(10)' : ''}`;
  const between = format === 'json' ? `',' || char(10)` : `''`;
  // ORDER BY: the rows come in id order anyway (a walk of the primary key), but only this guarantees it.
  const agg = `string_agg(CASE WHEN ${WELL_TYPED} THEN ${row} ELSE char(0) END, ${between} ORDER BY l.id)`;
  return `SELECT ${format === 'csv' ? agg : `CAST(${agg} AS BLOB)`} FROM consent_ledger l${scripts} WHERE ${where}`;
}

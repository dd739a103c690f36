import type { LedgerExportFormat } from '../domain/ledger/ledger-export-format.ts';

/**
 * The export's rows built by SQLite itself: SQL expressions that yield exactly the bytes
 * src/domain/ledger/ledger-export-format.ts writes (a CSV line with its quoting and formula guard, or
 * an NDJSON/JSON object), so that a chunk crosses into JavaScript as one string instead of 16 values a
 * row. test/store/ledger-export-sql.test.ts compares both, byte for byte, on hostile content.
 *
 * What costs here is the number of SQL function calls per row (each one about as dear as copying a
 * whole line), not the bytes: see src/store/README.md, "consent export", for the measurements.
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

/**
 * An integer in JavaScript's safe range, without typeof(): a text or a blob sorts after every number,
 * so BETWEEN leaves them out, and a real in a column of INTEGER affinity has a fraction (an integral
 * one is stored as an integer), which the CAST drops.
 */
const safeInt = (x: string): string => `(${x} BETWEEN -${SAFE} AND ${SAFE} AND CAST(${x} AS INTEGER) = ${x})`;
/**
 * Text or NULL. The text columns have TEXT affinity, which stores a number as text, so only a blob can
 * be out of type there, and every blob sorts after every text.
 */
const textOrNull = (c: string): string => `(l.${c} IS NULL OR l.${c} < x'')`;

/**
 * The row holds only what the schema declares, so the SQL expressions below write it as JavaScript
 * would: true, else false or NULL (a NULL in a NOT NULL column of a tampered file). Comparisons only,
 * no function call. The id is the rowid: an integer, within the chunk's safe bounds.
 */
const WELL_TYPED = [
  `l.at BETWEEN 0 AND ${MAX_ISO_MS} AND CAST(l.at AS INTEGER) = l.at`,
  safeInt('l.business_id'),
  `(l.call_id IS NULL OR ${safeInt('l.call_id')})`,
  ...TEXT_COLUMNS.map(textOrNull),
].join(' AND ');

/**
 * csvCell's formula guard: the first character's code point is one of = + - @ TAB CR. unicode() reads
 * only that character, and a CASE on its value compares it once per code, where `IN (...)` of six
 * values is coded as a lookup in an ephemeral index, per row.
 */
const FORMULA_CODES = [61, 43, 45, 64, 9, 13];
const guarded = (x: string): string => `CASE unicode(${x}) ${FORMULA_CODES.map((n) => `WHEN ${n} THEN '''' || ${x}`).join(' ')} ELSE ${x} END`;
/** csvCell in full: guard, then RFC 4180 quoting when the cell holds a quote, comma, CR or LF (one GLOB pass instead of four instr() calls). */
const quotedCell = (x: string): string =>
  `CASE WHEN ${x} IS NULL THEN '' WHEN ${x} GLOB '*[",\n\r]*' THEN '"' || replace(${guarded(x)}, '"', '""') || '"' ELSE ${guarded(x)} END`;

const CSV_NUMBERS = new Set(['id', 'business_id', 'call_id']);
const CSV_COLUMNS = ['id', 'at', 'business_id', 'did', 'consumer', 'event', 'method', 'script_version', 'script_sha256', 'transcript', 'audio_path', 'audio_sha256', 'call_id', 'source', 'prev_hash', 'hash'];

/** A CSV line with every text cell quoted as needed: the per-row statement's. concat() writes NULL as nothing, as csvCell does. */
const CSV_LINE = `concat(${CSV_COLUMNS.map((c) => (CSV_NUMBERS.has(c) ? `l.${c}` : c === 'at' ? isoAt('l.at') : quotedCell(`l.${c}`))).join(", ',', ")}, char(13, 10))`;

/**
 * The rows of an id range in id order, from a subquery: `LIMIT -1` keeps SQLite from flattening it
 * into the aggregate, which then reads the rows as the walk of the primary key yields them, where
 * `string_agg(... ORDER BY l.id)` sorted every chunk (about 0.5 s a million rows).
 */
const ordered = (columns: string, from: string, where: string): string => `SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY l.id LIMIT -1`;

/**
 * Per row, without a function call: the integers are integers in range. BETWEEN leaves out texts and
 * blobs, which sort after numbers, and a real in a column of INTEGER affinity has a fraction (an
 * integral one is stored as an integer), which shows in the sum of the three: a CAST would change it.
 * A blob in a text column is not looked for: JavaScript cannot write one into CSV either (csvCell takes
 * text), and SQLite writes its bytes.
 */
const CSV_ROW_PLAIN = [
  `l.at BETWEEN 0 AND ${MAX_ISO_MS}`,
  `l.business_id BETWEEN -${SAFE} AND ${SAFE}`,
  `(l.call_id IS NULL OR l.call_id BETWEEN -${SAFE} AND ${SAFE})`,
  `CAST(l.at + l.business_id + ifnull(l.call_id, 0) AS INTEGER) = l.at + l.business_id + ifnull(l.call_id, 0)`,
].join(' AND ');

/**
 * The text cells a CSV chunk checks once for the whole chunk, each behind a separator json_quote()
 * leaves alone: `|` before the phone numbers (guarded per row, as they start with `+`), `~` before
 * the others (written as they are). A `~` inside a cell can only make the check fail for nothing.
 */
const CHUNK_CHECKED = [
  ['|', 'did'],
  ['|', 'consumer'],
  ...['event', 'method', 'script_version', 'script_sha256', 'audio_path', 'audio_sha256', 'source', 'prev_hash', 'hash'].map((c) => ['~', c] as const),
] as const;

/**
 * The fast CSV chunk: given `@lo`, `@hi` and the filter's parameters, the lines of that id range with
 * per-row work only for the time, the phone numbers' guard and the transcript's quoting; '' when no
 * row matches. A row that fails CSV_ROW_PLAIN comes out as a NUL (the caller then formats the chunk in
 * JavaScript). The CHUNK_CHECKED cells of all rows, joined behind their separators, are checked in
 * three passes in C over the chunk: no comma (instr), no quote, backslash or control character
 * (json_quote() adds only its two quotes otherwise; octet_length() of a text needs no pass), no formula
 * character right after a `~` (GLOB scans for the separator byte, then tests the class). When they
 * fail, the statement yields NULL and the caller runs `ledgerChunkSql` (every cell checked per row)
 * for that chunk. Passes over the chunk cost next to nothing; a function call per cell cost as much
 * as building the line (src/store/README.md). A ledger callkeeper wrote always passes: hex hashes,
 * E.164 numbers, the schema's events and methods, script versions, recording paths, sources such as
 * `call` or `sms:…`.
 */
export function ledgerCsvChunkSql(where: string): string {
  const checked = `concat(${CHUNK_CHECKED.map(([sep, c]) => `'${sep}', l.${c}`).join(', ')})`;
  const phone = (x: string): string => {
    // No quote, comma or control character in a clean chunk: the guard is due for = + - @ first.
    const first = (ch: string, next: string): string => `${x} >= '${ch}' AND ${x} < '${next}'`;
    return `CASE WHEN ${first('+', ',')} OR ${first('-', '.')} OR ${first('=', '>')} OR ${first('@', 'A')} THEN '''' || ${x} ELSE ${x} END`;
  };
  const cell = (c: string): string => {
    if (c === 'at') return isoAt('l.at');
    if (c === 'did' || c === 'consumer') return phone(`l.${c}`);
    return c === 'transcript' ? quotedCell(`l.${c}`) : `l.${c}`;
  };
  const line = `CASE WHEN ${CSV_ROW_PLAIN} THEN concat(${CSV_COLUMNS.map(cell).join(", ',', ")}, '\r\n') ELSE char(0) END`;
  const rows = ordered(`${checked} AS s, ${line} AS line`, 'consent_ledger l', where);
  const chunk = `SELECT string_agg(s, '') AS s, string_agg(line, '') AS lines FROM (${rows})`;
  const clean = [`instr(s, ',') = 0`, `octet_length(json_quote(s)) = octet_length(s) + 2`, `NOT s GLOB '*~[-=+@]*'`].join(' AND ');
  return `SELECT CASE WHEN lines IS NULL THEN '' WHEN ${clean} THEN lines END FROM (${chunk})`;
}

/** The row as JSON.stringify writes a LedgerRecordWithScript: same keys, same order, same escaping. */
const JSON_ROW = `json_object('id', l.id, 'at', ${isoAt('l.at')}, 'business_id', l.business_id, ${TEXT_COLUMNS.slice(0, 9)
  .map((c) => `'${c}', l.${c}`)
  .join(', ')}, 'call_id', l.call_id, ${TEXT_COLUMNS.slice(9)
  .map((c) => `'${c}', l.${c}`)
  .join(', ')}, 'script_text', s.text)`;

/**
 * One statement per format, every row formatted on its own: given `@lo`, `@hi` and the filter's
 * parameters, the rows of that id range formatted and joined (NULL when no row matches). JSON and
 * NDJSON come as the UTF-8 bytes of a BLOB, a Buffer in JavaScript: their chunks hold the script text,
 * and text outside ASCII (the script's em dash) made each chunk a two-byte JavaScript string to decode
 * and encode back, most of NDJSON's overhead (bench/export.bench.ts: ratio 2.24 as text, 1.35 as a
 * BLOB). CSV, ASCII in practice, comes as text: a one-byte string is cheap, and a new Buffer per chunk
 * piled up as external memory until the next GC. A row the SQL cannot format comes out as a NUL, which
 * the caller looks for (a NUL in the data makes it look too, harmlessly). CSV chunks go through
 * `ledgerCsvChunkSql` first; this is their fallback.
 */
export function ledgerChunkSql(format: LedgerExportFormat, where: string): string {
  const from = format === 'csv' ? 'consent_ledger l' : 'consent_ledger l LEFT JOIN consent_scripts s ON s.sha256 = l.script_sha256';
  const row = format === 'csv' ? CSV_LINE : `${JSON_ROW}${format === 'ndjson' ? ' || char(10)' : ''}`;
  const between = format === 'json' ? `',' || char(10)` : `''`;
  const agg = `string_agg(row, ${between})`;
  return `SELECT ${format === 'csv' ? agg : `CAST(${agg} AS BLOB)`} FROM (${ordered(`CASE WHEN ${WELL_TYPED} THEN ${row} ELSE char(0) END AS row`, from, where)})`;
}

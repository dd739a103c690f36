import type { LedgerRecordWithScript } from '../ports/consent-ledger.ts';
import { LEDGER_FIELDS, type LedgerRecord } from './ledger-record.ts';

/**
 * How ledger rows are written by `consent export`, in pieces that are formatted apart (a chunk of
 * ids per SQL statement, src/store/ledger-export-sql.ts) and then concatenated in id order: a chunk is its rows
 * formatted and joined, and the whole export is `header`, the non-empty chunks joined by `between`,
 * then `footer`. The columns are documented in src/app/consent/export-consent.ts.
 */
export const LEDGER_EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type LedgerExportFormat = (typeof LEDGER_EXPORT_FORMATS)[number];

export interface LedgerExportFrame {
  readonly header: string;
  /** Between two rows of a chunk, and between two non-empty chunks. */
  readonly between: string;
  /** Before the first row of the export. */
  readonly first: string;
  readonly footer: (empty: boolean) => string;
}

export const LEDGER_EXPORT_FRAMES: Readonly<Record<LedgerExportFormat, LedgerExportFrame>> = {
  csv: { header: `${LEDGER_FIELDS.join(',')}\r\n`, between: '', first: '', footer: () => '' },
  ndjson: { header: '', between: '', first: '', footer: () => '' },
  json: { header: '[', between: ',\n', first: '\n', footer: (empty) => (empty ? ']\n' : '\n]\n') },
};

/** Whether a format's rows carry `script_text` (a join the CSV export does without). */
export const withScriptText = (format: LedgerExportFormat): boolean => format !== 'csv';

/**
 * One row in a format: a CSV line ending with CRLF, an NDJSON line ending with LF, or a JSON array item
 * (the rows of a chunk are joined by the frame's `between`). JSON rows must carry `script_text`.
 */
export function formatLedgerRow(format: LedgerExportFormat, row: LedgerRecord | LedgerRecordWithScript): string {
  switch (format) {
    case 'csv':
      return ledgerCsvLine(row);
    case 'ndjson':
      return `${JSON.stringify(row)}\n`;
    case 'json':
      return JSON.stringify(row);
  }
}

/**
 * Written out field by field: the hot loop of a million-row export. Every text cell goes through
 * csvCell, even those the schema constrains, since a tampered file can hold anything.
 */
export function ledgerCsvLine(r: LedgerRecord): string {
  return `${r.id},${csvCell(r.at)},${r.business_id},${csvCell(r.did)},${csvCell(r.consumer)},${csvCell(r.event)},${csvCell(r.method)},${csvCell(r.script_version)},${csvCell(r.script_sha256)},${csvCell(r.transcript)},${csvCell(r.audio_path)},${csvCell(r.audio_sha256)},${csvCell(r.call_id)},${csvCell(r.source)},${csvCell(r.prev_hash)},${csvCell(r.hash)}\r\n`;
}

/**
 * RFC 4180 CSV cells, with spreadsheet formula injection neutralized (OWASP "CSV Injection"): a text
 * cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, so that Excel/LibreOffice show
 * it as text instead of evaluating it. Phone numbers start with `+`, so `did` and `consumer` come out
 * as `'+15125550100`; to recover the exact value drop one leading `'` when the next character is one of
 * those six. The JSON and NDJSON exports are never altered and are the ones to recompute hashes from.
 * Numbers (ids, business_id, call_id) are written bare. Rows end with CRLF (RFC 4180 §2.1).
 */
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  let s = v;
  const c = s.charCodeAt(0);
  // = + - @ TAB CR
  if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(QUOTE, '""')}"` : s;
}

export function csvRow(cells: readonly (string | number | null)[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : ',') + csvCell(cells[i] ?? null);
  return `${line}\r\n`;
}

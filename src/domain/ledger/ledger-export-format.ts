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

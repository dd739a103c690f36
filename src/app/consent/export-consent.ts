import { LEDGER_FIELDS, type LedgerRecord } from '../../domain/ledger/ledger-record.ts';
import type { ConsentLedger, LedgerFilter } from '../../domain/ports/consent-ledger.ts';
import { csvCell } from './consent-csv.ts';

export const EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * `consent export` (issue 2): yields the export text piece by piece from a streaming read of the
 * ledger, so memory does not grow with the row count; the caller writes the pieces with backpressure.
 *
 * Stable columns (CSV header, and the key order of JSON/NDJSON objects), in this order:
 *   id             ledger row id, consecutive from 1
 *   at             event time, ISO-8601 UTC with milliseconds (2026-05-26T14:03:07.123Z)
 *   business_id    the business the consent is for
 *   did            the business number called or texted (E.164)
 *   consumer       the consumer's number (E.164)
 *   event          granted | declined | unclear | implied | revoked | reinstated
 *   method         verbal | sms-keyword | admin | import | implied
 *   script_version version of the consent script played, or empty
 *   script_sha256  sha256 of the exact script text played (text: JSON/NDJSON `script_text`, evidence)
 *   transcript     the consumer's answer as transcribed, or empty
 *   audio_path     recording of the answer, or empty
 *   audio_sha256   sha256 of that recording, or empty
 *   call_id        the call the event came from, or empty
 *   source         who or what produced it (`call`, `sms:<id>`, `cli:<user>: <reason>`, `import:<file>:<line>`)
 *   prev_hash      hash of the previous row (64 zeros for the first)
 *   hash           sha256 chain hash of this row (see src/domain/ledger/ledger-record.ts)
 * JSON/NDJSON add `script_text` after `hash`. Only columns are ever appended, never reordered.
 */
export function* exportConsent(ledger: ConsentLedger, format: ExportFormat, filter: LedgerFilter = {}): Generator<string> {
  switch (format) {
    case 'csv': {
      yield `${LEDGER_FIELDS.join(',')}\r\n`;
      for (const r of ledger.records(filter)) yield csvLine(r);
      return;
    }
    case 'ndjson':
      for (const r of ledger.recordsWithScript(filter)) yield `${JSON.stringify(r)}\n`;
      return;
    case 'json': {
      let first = true;
      yield '[';
      for (const r of ledger.recordsWithScript(filter)) {
        yield `${first ? '\n' : ',\n'}${JSON.stringify(r)}`;
        first = false;
      }
      yield first ? ']\n' : '\n]\n';
      return;
    }
  }
}

/**
 * Written out field by field: the hot loop of a million-row export. Every text cell goes through
 * csvCell, even those the schema constrains, since a tampered file can hold anything.
 */
function csvLine(r: LedgerRecord): string {
  return `${r.id},${csvCell(r.at)},${r.business_id},${csvCell(r.did)},${csvCell(r.consumer)},${csvCell(r.event)},${csvCell(r.method)},${csvCell(r.script_version)},${csvCell(r.script_sha256)},${csvCell(r.transcript)},${csvCell(r.audio_path)},${csvCell(r.audio_sha256)},${csvCell(r.call_id)},${csvCell(r.source)},${csvCell(r.prev_hash)},${csvCell(r.hash)}\r\n`;
}

import { LEDGER_EXPORT_FRAMES, LEDGER_EXPORT_FORMATS, type LedgerExportFormat } from '../../domain/ledger/ledger-export-format.ts';
import type { LedgerFilter } from '../../domain/ports/consent-ledger.ts';
import type { LedgerExportReader } from '../../domain/ports/ledger-export-reader.ts';

export const EXPORT_FORMATS = LEDGER_EXPORT_FORMATS;
export type ExportFormat = LedgerExportFormat;

/**
 * `consent export`: yields the export piece by piece, the reader's chunks of formatted rows
 * inside the format's frame (header, separators, footer), so memory does not grow with the row count;
 * the caller writes the pieces with backpressure.
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
 * CSV cells are neutralized against formula injection (src/domain/ledger/ledger-export-format.ts).
 */
export async function* exportConsent(reader: LedgerExportReader, format: ExportFormat, filter: LedgerFilter = {}): AsyncGenerator<string | Uint8Array> {
  const frame = LEDGER_EXPORT_FRAMES[format];
  if (frame.header) yield frame.header;
  let empty = true;
  for await (const chunk of reader.chunks(format, filter)) {
    if (chunk.length === 0) continue;
    const separator = empty ? frame.first : frame.between;
    if (separator) yield separator;
    yield chunk;
    empty = false;
  }
  const footer = frame.footer(empty);
  if (footer) yield footer;
}

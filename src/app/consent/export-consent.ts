import { LEDGER_EXPORT_FRAMES, LEDGER_EXPORT_FORMATS, type LedgerExportFormat } from '../../domain/ledger/ledger-export-format.ts';
import type { LedgerFilter } from '../../domain/ports/consent-ledger.ts';
import type { LedgerExportReader } from '../../domain/ports/ledger-export-reader.ts';

export const EXPORT_FORMATS = LEDGER_EXPORT_FORMATS;
export type ExportFormat = LedgerExportFormat;

/**
 * `consent export`: yields the export piece by piece, the reader's chunks of formatted rows inside the
 * format's frame, so memory does not grow with the row count; the caller writes them with backpressure.
 * The stable columns, in order: src/app/consent/README.md, "Export columns".
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

import type { LedgerFilter } from '../domain/ports/consent-ledger.ts';

/**
 * The WHERE terms of a ledger filter (table alias `l`), with named parameters. `byIdRange` is for
 * reads that walk the ledger in id ranges (the export's chunks): the terms on business, time and event
 * are then written `+l.col` so that SQLite walks the primary key instead of, say, the (business,
 * consumer, at) index, which would rescan a whole business's rows for every chunk. The consumer term
 * stays indexable: `consent_ledger_consumer (consumer, id)` serves an id range directly.
 */
export function ledgerFilterSql(f: LedgerFilter, opts: { byIdRange?: boolean } = {}): { terms: string[]; params: Record<string, unknown> } {
  const p = opts.byIdRange ? '+' : '';
  const terms: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.businessId !== undefined) {
    terms.push(`${p}l.business_id = @businessId`);
    params.businessId = f.businessId;
  }
  if (f.consumer !== undefined) {
    terms.push('l.consumer = @consumer');
    params.consumer = f.consumer;
  }
  if (f.since !== undefined) {
    terms.push(`${p}l.at >= @since`);
    params.since = f.since;
  }
  if (f.until !== undefined) {
    terms.push(`${p}l.at < @until`);
    params.until = f.until;
  }
  if (f.events !== undefined) {
    terms.push(`${p}l.event IN (${f.events.map((_, i) => `@e${i}`).join(', ') || 'NULL'})`);
    f.events.forEach((e, i) => (params[`e${i}`] = e));
  }
  return { terms, params };
}

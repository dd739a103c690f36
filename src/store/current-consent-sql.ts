/**
 * The one definition of a pair's current consent in SQL: the pair's ledger event recorded last, i.e.
 * the highest `id` (ids are the ledger's append order, checked by the hash chain). Never the event with
 * the latest `at`: `at` can come from a file (`consent import`), and a record dated 2099 would then
 * outrank every later STOP; a system clock stepped back would do the same to a live STOP. Imports
 * therefore refuse an `at` in the future and an `at` older than the pair's current event
 * (src/app/consent/import-consent.ts), so appending an old `granted` cannot override a live `revoked`.
 * Every reader that decides on consent (the consent store, the outbox's claim, `optout list`) uses this
 * expression, so they cannot disagree.
 *
 * Served by the index `consent_ledger_consumer (consumer, id)` (migration 001), read backwards from the
 * number's newest row to the first one of the business: no sort, usually one row.
 *
 * `business` and `consumer` are SQL expressions: `?` placeholders, or columns of an outer query for a
 * correlated use (the subquery's own table is aliased `cur`, so outer names resolve outside it).
 */
export function currentConsentIdSql(business: string, consumer: string): string {
  return `(SELECT cur.id FROM consent_ledger cur WHERE cur.business_id = ${business} AND cur.consumer = ${consumer} ORDER BY cur.id DESC LIMIT 1)`;
}

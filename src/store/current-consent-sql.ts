/**
 * The one definition of a pair's current consent in SQL: its latest ledger event by time (`at`), then
 * by append order (`id`). Ids follow append order, and `consent import` appends old events late, so
 * "latest by id" would let a years-old `granted` imported today override a live `revoked`. Every reader
 * that decides on consent (the consent store, the outbox's claim, `optout list`) uses this expression,
 * so they cannot disagree. Served by the index `consent_ledger_pair (business_id, consumer, at, id)`
 * (migration 001) without a sort.
 *
 * `business` and `consumer` are SQL expressions: `?` placeholders, or columns of an outer query for a
 * correlated use (the subquery's own table is aliased `cur`, so outer names resolve outside it).
 */
export function currentConsentIdSql(business: string, consumer: string): string {
  return `(SELECT cur.id FROM consent_ledger cur WHERE cur.business_id = ${business} AND cur.consumer = ${consumer} ORDER BY cur.at DESC, cur.id DESC LIMIT 1)`;
}

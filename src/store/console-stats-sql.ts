/**
 * The console's dashboard and health queries (src/console/README.md), written once for SqliteConsoleStats and
 * PgConsoleStats (postgres/pg-console-stats.ts): the same tables in both schemas, so the same figures for the same
 * rows. Each store gives its dialect's UTC-day expression for a ms column and its parameter placeholder.
 */
export interface ConsoleStatsSql {
  readonly callsPerDay: string;
  readonly consentPerDay: string;
  readonly textsByState: string;
  readonly queueDepth: string;
  readonly recentErrors: string;
}

export function consoleStatsSql(day: (msColumn: string) => string, param: string): ConsoleStatsSql {
  return {
    callsPerDay: `SELECT ${day('started_at')} AS day, coalesce(outcome, 'in-progress') AS key, count(*) AS n FROM calls WHERE started_at >= ${param} GROUP BY 1, 2 ORDER BY 1, 2`,
    consentPerDay: `SELECT ${day('at')} AS day, event AS key, count(*) AS n FROM consent_ledger WHERE at >= ${param} AND method = 'verbal' GROUP BY 1, 2 ORDER BY 1, 2`,
    textsByState: "SELECT state, count(*) AS n FROM outbound_messages WHERE kind <> 'staff' GROUP BY state ORDER BY state",
    queueDepth: "SELECT count(*) AS n FROM outbound_messages WHERE state IN ('queued','submitting')",
    recentErrors: `SELECT * FROM (
           SELECT coalesce(final_at, created_at) AS at, 'text' AS kind, id AS ref, state, coalesce(state_reason, '') AS detail
             FROM outbound_messages WHERE state IN ('failed','undeliverable','expired','refused','unknown')
           UNION ALL
           SELECT updated_at AS at, 'staff' AS kind, id AS ref, state, coalesce(last_error, '') AS detail
             FROM notification_deliveries WHERE state = 'failed'
         ) e ORDER BY at DESC LIMIT ${param}`,
  };
}

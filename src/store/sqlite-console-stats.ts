import type { ConsoleStats, DayCount, RecentError } from '../domain/ports/console-stats.ts';
import type { SqliteDb } from './sqlite-database.ts';

const DAY = "strftime('%Y-%m-%d', %s / 1000, 'unixepoch')";
const day = (col: string): string => DAY.replace('%s', col);

/** The console's dashboard and health figures (src/console/README.md), over the existing tables. */
export class SqliteConsoleStats implements ConsoleStats {
  constructor(private readonly db: SqliteDb) {}

  callsPerDay(since: number): DayCount[] {
    return this.db
      .prepare(`SELECT ${day('started_at')} AS day, coalesce(outcome, 'in-progress') AS key, count(*) AS n FROM calls WHERE started_at >= ? GROUP BY 1, 2 ORDER BY 1, 2`)
      .all(since) as DayCount[];
  }

  consentPerDay(since: number): DayCount[] {
    return this.db
      .prepare(`SELECT ${day('at')} AS day, event AS key, count(*) AS n FROM consent_ledger WHERE at >= ? AND method = 'verbal' GROUP BY 1, 2 ORDER BY 1, 2`)
      .all(since) as DayCount[];
  }

  textsByState(): Array<{ state: string; n: number }> {
    return this.db.prepare("SELECT state, count(*) AS n FROM outbound_messages WHERE kind <> 'staff' GROUP BY state ORDER BY state").all() as Array<{ state: string; n: number }>;
  }

  queueDepth(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM outbound_messages WHERE state IN ('queued','submitting')").get() as { n: number }).n;
  }

  recentErrors(limit: number): RecentError[] {
    return this.db
      .prepare(
        `SELECT * FROM (
           SELECT coalesce(final_at, created_at) AS at, 'text' AS kind, id AS ref, state, coalesce(state_reason, '') AS detail
             FROM outbound_messages WHERE state IN ('failed','undeliverable','expired','refused','unknown')
           UNION ALL
           SELECT updated_at AS at, 'staff' AS kind, id AS ref, state, coalesce(last_error, '') AS detail
             FROM notification_deliveries WHERE state = 'failed'
         ) ORDER BY at DESC LIMIT ?`,
      )
      .all(limit) as RecentError[];
  }
}

import type pg from 'pg';
import type { AsyncConsoleStats } from '../../domain/ports/async-stores.ts';
import type { DayCount, RecentError } from '../../domain/ports/console-stats.ts';

/** A UTC ms column as its UTC day, `YYYY-MM-DD` (SQLite: strftime('%Y-%m-%d', col / 1000, 'unixepoch')). */
const day = (col: string): string => `to_char(to_timestamp(${col} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

/**
 * The console's dashboard and health figures on PostgreSQL: SqliteConsoleStats' queries over the same
 * tables (pg-001-core, pg-002-stores), so the same figures for the same rows; counts come back as
 * numbers (pg-database.ts). The tables are every node's, so the figures are the whole install's.
 */
export class PgConsoleStats implements AsyncConsoleStats {
  constructor(private readonly pool: pg.Pool) {}

  async callsPerDay(since: number): Promise<DayCount[]> {
    return (
      await this.pool.query<DayCount>(
        `SELECT ${day('started_at')} AS day, coalesce(outcome, 'in-progress') AS key, count(*) AS n FROM calls WHERE started_at >= $1 GROUP BY 1, 2 ORDER BY 1, 2`,
        [since],
      )
    ).rows;
  }

  async consentPerDay(since: number): Promise<DayCount[]> {
    return (
      await this.pool.query<DayCount>(
        `SELECT ${day('at')} AS day, event AS key, count(*) AS n FROM consent_ledger WHERE at >= $1 AND method = 'verbal' GROUP BY 1, 2 ORDER BY 1, 2`,
        [since],
      )
    ).rows;
  }

  async textsByState(): Promise<Array<{ state: string; n: number }>> {
    return (await this.pool.query<{ state: string; n: number }>("SELECT state, count(*) AS n FROM outbound_messages WHERE kind <> 'staff' GROUP BY state ORDER BY state")).rows;
  }

  async queueDepth(): Promise<number> {
    return (await this.pool.query<{ n: number }>("SELECT count(*) AS n FROM outbound_messages WHERE state IN ('queued','submitting')")).rows[0]!.n;
  }

  async recentErrors(limit: number): Promise<RecentError[]> {
    return (
      await this.pool.query<RecentError>(
        `SELECT * FROM (
           SELECT coalesce(final_at, created_at) AS at, 'text' AS kind, id AS ref, state, coalesce(state_reason, '') AS detail
             FROM outbound_messages WHERE state IN ('failed','undeliverable','expired','refused','unknown')
           UNION ALL
           SELECT updated_at AS at, 'staff' AS kind, id AS ref, state, coalesce(last_error, '') AS detail
             FROM notification_deliveries WHERE state = 'failed'
         ) e ORDER BY at DESC LIMIT $1`,
        [limit],
      )
    ).rows;
  }
}

import type pg from 'pg';
import type { AsyncConsoleStats } from '../../domain/ports/async-stores.ts';
import type { DayCount, RecentError } from '../../domain/ports/console-stats.ts';
import { consoleStatsSql } from '../console-stats-sql.ts';

/** A UTC ms column as its UTC day, `YYYY-MM-DD`. */
const SQL = consoleStatsSql((col) => `to_char(to_timestamp(${col} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`, '$1');

/**
 * The console's dashboard and health figures on PostgreSQL: SqliteConsoleStats' queries (console-stats-sql.ts) over
 * the same tables (pg-001-core, pg-002-stores), so the same figures for the same rows; counts come back as numbers
 * (pg-database.ts). The tables are every node's, so the figures are the whole install's.
 */
export class PgConsoleStats implements AsyncConsoleStats {
  constructor(private readonly pool: pg.Pool) {}

  async callsPerDay(since: number): Promise<DayCount[]> {
    return (await this.pool.query<DayCount>(SQL.callsPerDay, [since])).rows;
  }

  async consentPerDay(since: number): Promise<DayCount[]> {
    return (await this.pool.query<DayCount>(SQL.consentPerDay, [since])).rows;
  }

  async textsByState(): Promise<Array<{ state: string; n: number }>> {
    return (await this.pool.query<{ state: string; n: number }>(SQL.textsByState)).rows;
  }

  async queueDepth(): Promise<number> {
    return (await this.pool.query<{ n: number }>(SQL.queueDepth)).rows[0]!.n;
  }

  async recentErrors(limit: number): Promise<RecentError[]> {
    return (await this.pool.query<RecentError>(SQL.recentErrors, [limit])).rows;
  }
}

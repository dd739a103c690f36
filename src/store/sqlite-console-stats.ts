import type { ConsoleStats, DayCount, RecentError } from '../domain/ports/console-stats.ts';
import { consoleStatsSql } from './console-stats-sql.ts';
import type { SqliteDb } from './sqlite-database.ts';

/** A UTC ms column as its UTC day, `YYYY-MM-DD`. */
const SQL = consoleStatsSql((col) => `strftime('%Y-%m-%d', ${col} / 1000, 'unixepoch')`, '?');

/** The console's dashboard and health figures (src/console/README.md), over the existing tables (console-stats-sql.ts). */
export class SqliteConsoleStats implements ConsoleStats {
  constructor(private readonly db: SqliteDb) {}

  callsPerDay(since: number): DayCount[] {
    return this.db.prepare(SQL.callsPerDay).all(since) as DayCount[];
  }

  consentPerDay(since: number): DayCount[] {
    return this.db.prepare(SQL.consentPerDay).all(since) as DayCount[];
  }

  textsByState(): Array<{ state: string; n: number }> {
    return this.db.prepare(SQL.textsByState).all() as Array<{ state: string; n: number }>;
  }

  queueDepth(): number {
    return (this.db.prepare(SQL.queueDepth).get() as { n: number }).n;
  }

  recentErrors(limit: number): RecentError[] {
    return this.db.prepare(SQL.recentErrors).all(limit) as RecentError[];
  }
}

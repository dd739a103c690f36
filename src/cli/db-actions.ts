import { migrate, openDatabase, pendingMigrations } from '../store/sqlite-database.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';

/** `db migrate` (src/cli/db-command.ts). */
export function dbMigrate(ctx: CliContext, opts: { json?: boolean }): void {
  const path = ctx.dbPath();
  const handle = openDatabase(path);
  try {
    const applied = migrate(handle);
    const version = handle.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null;
    if (opts.json) {
      writeLine(ctx.stdout, JSON.stringify({ path, applied: applied.map((m) => ({ version: m.version, name: m.name })), version, pending: pendingMigrations(handle).length }));
    } else if (applied.length === 0) {
      writeLine(ctx.stdout, `up to date: schema version ${version ?? 0} (${path})`);
    } else {
      for (const m of applied) writeLine(ctx.stdout, `applied ${String(m.version).padStart(3, '0')} ${m.name}`);
      writeLine(ctx.stdout, `schema version ${version ?? 0} (${path})`);
    }
  } finally {
    handle.close();
  }
}

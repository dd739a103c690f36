import { existsSync } from 'node:fs';
import type { Config } from '../config/config-schema.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import { migrate, openDatabase, pendingMigrations } from '../store/sqlite-database.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStore } from './cli-store.ts';

/** `db migrate` (src/cli/db-command.ts): the SQLite file, or the configured PostgreSQL database. */
export async function dbMigrate(ctx: CliContext, opts: { json?: boolean }): Promise<void> {
  const db = ctx.database();
  if (db.kind === 'postgres') return dbMigratePg(ctx, db.settings, opts);
  const path = db.path;
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

/** `db migrate` on PostgreSQL: migratePg (Kysely's Migrator under its lock, so also beside running nodes). */
async function dbMigratePg(ctx: CliContext, settings: Config['database'], opts: { json?: boolean }): Promise<void> {
  const [{ withCliPgStore }, { PG_MIGRATIONS }] = await Promise.all([import('./cli-pg-store.ts'), import('../store/postgres/migrations/index.ts')]);
  const { applied, where } = await withCliPgStore(settings, { readonly: false }, async (s) => ({ applied: s.applied, where: s.where }));
  const schema = PG_MIGRATIONS.at(-1)?.name ?? 'none';
  if (opts.json) writeLine(ctx.stdout, JSON.stringify({ database: where, applied: applied.map((name) => ({ name })), schema, pending: 0 }));
  else if (applied.length === 0) writeLine(ctx.stdout, `up to date: PostgreSQL schema at ${schema} (${where})`);
  else {
    for (const name of applied) writeLine(ctx.stdout, `applied ${name}`);
    writeLine(ctx.stdout, `PostgreSQL schema at ${schema} (${where})`);
  }
}

/**
 * `db copy --to postgres://...` (src/store/postgres/README.md, "Moving an install"): the configured SQLite
 * database (or `--db`), opened read-only, into an empty PostgreSQL database. The URL holds the password,
 * so nothing printed names more than host, port and database, and every error text is scrubbed of it.
 */
export async function dbCopy(ctx: CliContext, opts: { to: string; json?: boolean }): Promise<void> {
  const { parsePgTargetUrl } = await import('../store/postgres/pg-target-url.ts');
  const target = parsePgTargetUrl(opts.to);
  const [{ openPgPool }, { copySqliteToPg }, { ledgerSigningPaths }, { pgNodeId }] = await Promise.all([
    import('../store/postgres/pg-database.ts'),
    import('../store/postgres/pg-copy-from-sqlite.ts'),
    import('../compose/ledger-signing.ts'),
    import('../compose/pg-node-id.ts'),
  ]);
  const path = ctx.dbPath();
  const checkpoints = ledgerSigningPaths(ctx.config().config.ledger, path).checkpointsFile;
  const report = await withCliStore(ctx, { readonly: true }, async (s) => {
    // One connection: the copy is one transaction; the idle-error handler keeps a server restart from ending the process.
    const pool = openPgPool({ connectionString: target.connectionString }, { max: 1, onIdleError: () => undefined });
    try {
      // The copied calls' recordings are on this host: they become this host's node's (database.nodeId, else the host name).
      return await copySqliteToPg(s.db, pool, target.where, { callNode: pgNodeId(ctx.config().config.database) });
    } catch (e) {
      if (isAppError(e)) throw new AppError(e.code, target.scrub(e.message), { cause: e, retryable: e.retryable });
      throw new AppError('INTERNAL', `db copy to ${target.where} failed: ${target.scrub(e instanceof Error ? e.message : String(e))}`, { cause: e });
    } finally {
      await pool.end();
    }
  });
  const checkpointsLeft = existsSync(checkpoints) ? checkpoints : undefined;
  if (opts.json) {
    writeLine(ctx.stdout, JSON.stringify({ from: path, to: target.where, ...report, ...(checkpointsLeft === undefined ? {} : { checkpointsNotCopied: checkpointsLeft }) }));
    return;
  }
  for (const t of report.tables) writeLine(ctx.stdout, `copied ${t.name}: ${t.rows} rows`);
  for (const t of report.notCopied) writeLine(ctx.stdout, `not copied ${t.name}: ${t.rows} rows (${t.reason})`);
  if (checkpointsLeft !== undefined) writeLine(ctx.stdout, `not copied: the signed checkpoints ${checkpointsLeft} (a file, with the signing key beside it: they verify the copy, whose ids and hashes are unchanged; src/store/postgres/README.md, "Moving an install")`);
  writeLine(ctx.stdout, `ledger: ${report.ledger.count} records verified on SQLite and PostgreSQL, head ${report.ledger.head} on both`);
  writeLine(ctx.stdout, `copied ${path} to ${target.where}`);
}

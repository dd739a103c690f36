import type { Config } from '../config/config-schema.ts';
import { AppError } from '../domain/errors.ts';
import { parsePgTargetUrl, type PgTargetUrl } from '../store/postgres/pg-target-url.ts';

/**
 * Where `database` (kind postgres) points, with `database.password` (or passwordFile, read by the config
 * loader) put into the URL: what `serve` (pg-serve-database.ts) and the admin CLI (src/cli/cli-pg-store.ts)
 * both connect to, and what of it may be printed (`where`, `scrub`: pg-target-url.ts).
 */
export function pgDatabaseTarget(cfg: Config['database']): PgTargetUrl {
  if (cfg.url === undefined) throw new AppError('CONFIG.INVALID', 'database.url: kind postgres needs url (postgres://user@host:port/database)');
  return withPassword(parsePgTargetUrl(cfg.url), cfg.password);
}

/** The URL with the separate password put into it: node-postgres lets a URL's empty password override a separate one. */
function withPassword(url: PgTargetUrl, password: string | undefined): PgTargetUrl {
  if (password === undefined) return url;
  const u = new URL(url.connectionString);
  u.password = encodeURIComponent(password);
  const inner = parsePgTargetUrl(u.toString());
  return { connectionString: inner.connectionString, where: url.where, scrub: (s) => inner.scrub(url.scrub(s)) };
}

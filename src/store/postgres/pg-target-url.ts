import { AppError } from '../../domain/errors.ts';

/**
 * A `postgres://user:password@host:port/database` URL as given on the command line (`db copy --to`),
 * with what may be printed about it kept apart from what may not: `where` names the host and the
 * database only, and `scrub` takes the password out of any text (a driver's error message) before it is
 * shown. A unix socket directory is given as `?host=/run/postgresql`, as libpq and node-postgres read it.
 */
export interface PgTargetUrl {
  /** For node-postgres (`openPgPool({ connectionString })`); holds the password: never print it. */
  readonly connectionString: string;
  /** `host:port/database`, safe to print. */
  readonly where: string;
  /** `text` with the password (as given and URL-decoded) replaced by `***`. */
  scrub(text: string): string;
}

export function parsePgTargetUrl(text: string): PgTargetUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text itself is not echoed: it may be a URL with a password that only failed to parse.
    throw new AppError('INPUT.INVALID', 'the target is not a URL: expected postgres://user:password@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new AppError('INPUT.INVALID', `the target must be a postgres:// URL, not ${url.protocol}//`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '') throw new AppError('INPUT.INVALID', `the target URL names no database: expected postgres://user:password@${url.host || 'host'}/database`);
  // node-postgres lets `?host=` and `?port=` override the URL's own (a socket directory needs a placeholder host).
  const host = url.searchParams.get('host') ?? (url.hostname || 'localhost');
  const where = `${host}:${url.searchParams.get('port') ?? (url.port || '5432')}/${database}`;
  const secrets = [url.password, safeDecode(url.password)].filter((s) => s.length > 0);
  return {
    connectionString: text,
    where,
    scrub: (s) => secrets.reduce((acc, secret) => acc.split(secret).join('***'), s),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

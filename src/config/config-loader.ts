import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { configSchema, SECRET_PATHS, type Config } from './config-schema.ts';
import { closestKey, keysAt } from './config-keys.ts';

/**
 * Loads the config file, applies `CALLKEEPER_*` environment overrides, reads `*File` secrets, and
 * validates everything in one pass so that every problem is reported at once with its path.
 *
 * Env overrides: `CALLKEEPER_SMPP__PASSWORD=x` sets `smpp.password` (double underscore between levels,
 * single underscore words in camelCase: `CALLKEEPER_SMPP__SYSTEM_ID` → `smpp.systemId`).
 * `CALLKEEPER_DB` sets `database.path`. Numbers and booleans in env values are parsed. A variable that
 * names no setting is a problem, like an unknown key in the file.
 *
 * No problem ever quotes the file's content or a value (the line holding a YAML error can be the admin
 * token): each names a path or a line and says what is wrong.
 */
export interface LoadedConfig {
  readonly config: Config;
  readonly source: string | null;
}

/** CALLKEEPER_* variables that are not config overrides (CALLKEEPER_DEV: bin/callkeeper.mjs runs the sources). */
const NOT_OVERRIDES = new Set(['CALLKEEPER_CONFIG', 'CALLKEEPER_DB', 'CALLKEEPER_DEBUG', 'CALLKEEPER_DEV']);

export function loadConfig(opts: { file?: string | undefined; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const env = opts.env ?? {};
  const file = opts.file ?? env.CALLKEEPER_CONFIG ?? (existsSync('config/callkeeper.yaml') ? 'config/callkeeper.yaml' : undefined);
  let raw: unknown = {};
  if (file !== undefined) {
    let text: string;
    try {
      // /dev/null is the usual way to say "no file, defaults and environment only".
      text = file === '/dev/null' ? '' : readRegularFile(file).text;
    } catch (e) {
      throw new AppError('CONFIG.INVALID', `cannot read config file ${file}: ${describeFsError(e)}`, { cause: e });
    }
    raw = parseConfigYaml(text, file);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new AppError('CONFIG.INVALID', `config file ${file} must hold a mapping at the top level`);
    }
  }
  const problems: string[] = [];
  const fromEnv = new Map<string, string>();
  const merged = applyEnv(structuredClone(raw) as Record<string, unknown>, env, fromEnv, problems);
  readSecretFiles(merged, problems, env.CREDENTIALS_DIRECTORY);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, fromEnv));
  }
  if (problems.length > 0 || !parsed.success) {
    throw new AppError('CONFIG.INVALID', `invalid configuration${file ? ` in ${file}` : ''}: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return { config: parsed.data, source: file ?? null };
}

/** What each YAML error code means, so that no message quotes the file (an escape, an alias name). */
const YAML_PROBLEMS: Record<string, string> = {
  DUPLICATE_KEY: 'a key appears twice in the same mapping',
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'a tab is used for indentation (use spaces)',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines',
  BLOCK_AS_IMPLICIT_KEY: 'a block value where a key was expected',
  UNEXPECTED_TOKEN: 'unexpected content',
  BAD_SCALAR_START: 'a plain value starts with a reserved character (quote it)',
  MULTIPLE_DOCS: 'more than one YAML document',
  NON_STRING_KEY: 'a key that is not a plain string',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
};

function parseConfigYaml(text: string, file: string): unknown {
  try {
    // prettyErrors adds the offending lines to the message; the position is enough.
    return parseYaml(text, { prettyErrors: false, logLevel: 'error' }) ?? {};
  } catch (e) {
    let where = '';
    let what = 'not valid YAML';
    if (e instanceof YAMLParseError) {
      const at = e.pos[0];
      const before = text.slice(0, at);
      const line = before.split('\n').length;
      const column = at - before.lastIndexOf('\n');
      where = ` line ${line}, column ${column}:`;
      what = `${YAML_PROBLEMS[e.code] ?? 'a YAML syntax error'} (${e.code})`;
    } else if (e instanceof Error && /alias/i.test(e.message)) {
      what = 'an alias that names no anchor, or too many aliases';
    }
    throw new AppError('CONFIG.INVALID', `config file ${file} is not valid YAML:${where || ''} ${what}`, { cause: e });
  }
}

function camel(word: string): string {
  return word.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `smpp.systemId` → `CALLKEEPER_SMPP__SYSTEM_ID`. */
export function envNameOf(path: readonly string[]): string {
  return `CALLKEEPER_${path.map((p) => p.replace(/([A-Z])/g, '_$1').toUpperCase()).join('__')}`;
}

function coerce(v: string): unknown {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
}

function applyEnv(target: Record<string, unknown>, env: NodeJS.ProcessEnv, fromEnv: Map<string, string>, problems: string[]): Record<string, unknown> {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || !key.startsWith('CALLKEEPER_') || NOT_OVERRIDES.has(key)) continue;
    const path = key.slice('CALLKEEPER_'.length).split('__').map(camel);
    const known = keysAt(configSchema, path.slice(0, -1));
    const last = path[path.length - 1]!;
    if (known === null || !known.includes(last)) {
      const near = known === null ? null : closestKey(last, known);
      problems.push(`${key}: no such setting ${path.join('.')}${near === null ? '' : ` (did you mean ${envNameOf([...path.slice(0, -1), near])}?)`}`);
      continue;
    }
    let node = target;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[last] = coerce(value);
    fromEnv.set(path.join('.'), key);
  }
  if (env.CALLKEEPER_DB !== undefined) {
    const db = target.database;
    target.database = { ...(typeof db === 'object' && db !== null ? db : {}), path: env.CALLKEEPER_DB };
    fromEnv.set('database.path', 'CALLKEEPER_DB');
  }
  return target;
}

function describeIssue(issue: z.core.$ZodIssue, fromEnv: ReadonlyMap<string, string>): string[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(configSchema, path) ?? [];
    return issue.keys.map((k) => {
      const near = closestKey(k, known);
      return `${[...path, k].join('.')}: unknown key${near === null ? '' : ` (did you mean ${near}?)`}`;
    });
  }
  const at = path.join('.');
  const env = fromEnv.get(at);
  return [`${at || '(top)'}: ${issue.message}${env ? ` (from ${env})` : ''}`];
}

/**
 * `passwordFile`/`tokenFile` next to a secret: the secret is read from that file (trailing newline
 * dropped). The file must be a regular file (a FIFO would block the read) that group and others cannot
 * open: a secret anyone on the host can read is no secret. Files in systemd's $CREDENTIALS_DIRECTORY
 * (LoadCredential=) are exempt: systemd restricts them to the service's user, with an ACL where the file
 * system has them, and an ACL's mask shows in the group bits of the mode.
 */
function readSecretFiles(cfg: Record<string, unknown>, problems: string[], credentialsDir: string | undefined): void {
  for (const p of SECRET_PATHS) {
    const [section, key] = p.split('.') as [string, string];
    const node = cfg[section];
    if (typeof node !== 'object' || node === null) continue;
    const rec = node as Record<string, unknown>;
    const fileKey = `${key}File`;
    const f = rec[fileKey];
    if (typeof f !== 'string' || rec[key] !== undefined) continue;
    let read: { text: string; mode: number };
    try {
      read = readRegularFile(f);
    } catch (e) {
      problems.push(`${section}.${fileKey}: cannot read ${f}: ${describeFsError(e)}`);
      continue;
    }
    if ((read.mode & 0o077) !== 0 && !inDirectory(f, credentialsDir)) {
      problems.push(`${section}.${fileKey}: ${f} is open to group or others (mode 0${(read.mode & 0o777).toString(8)}); chmod 600 it`);
      continue;
    }
    rec[key] = read.text.replace(/\r?\n$/, '');
  }
}

/**
 * Reads a file only when it is a regular file. It is opened non-blocking (a FIFO opens at once that
 * way) and its type is checked on the open descriptor, so the check and the read see the same file.
 */
function readRegularFile(path: string): { text: string; mode: number } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    return { text: readFileSync(fd, 'utf8'), mode: st.mode };
  } finally {
    closeSync(fd);
  }
}

function inDirectory(file: string, dir: string | undefined): boolean {
  if (!dir) return false;
  try {
    return realpathSync(file).startsWith(realpathSync(dir) + sep);
  } catch {
    return false;
  }
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTREG') return 'not a regular file';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return code ?? (e as Error).message.split('\n', 1)[0] ?? 'unreadable';
}

/** The effective config with secrets masked, for `config check` and `doctor`. */
export function maskSecrets(config: Config): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const p of SECRET_PATHS) {
    const [section, key] = p.split('.') as [string, string];
    const node = copy[section];
    if (node && node[key] !== undefined) node[key] = '********';
  }
  // A password written into the PostgreSQL URL is a secret too.
  const db = copy['database'];
  if (db && typeof db['url'] === 'string') db['url'] = maskUrlPassword(db['url']);
  return copy;
}

function maskUrlPassword(text: string): string {
  try {
    const u = new URL(text);
    if (u.password === '') return text;
    u.password = '********';
    return u.toString();
  } catch {
    return '********';
  }
}

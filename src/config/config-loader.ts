import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../domain/errors.ts';
import { configSchema, SECRET_PATHS, type Config } from './config-schema.ts';

/**
 * Loads the config file, applies `CALLKEEPER_*` environment overrides, reads `*File` secrets, and
 * validates everything in one pass so that every problem is reported at once with its path.
 *
 * Env overrides: `CALLKEEPER_SMPP__PASSWORD=x` sets `smpp.password` (double underscore between levels,
 * single underscore words in camelCase: `CALLKEEPER_SMPP__SYSTEM_ID` → `smpp.systemId`).
 * `CALLKEEPER_DB` sets `database.path`. Numbers and booleans in env values are parsed.
 */
export interface LoadedConfig {
  readonly config: Config;
  readonly source: string | null;
}

export function loadConfig(opts: { file?: string | undefined; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const env = opts.env ?? {};
  const file = opts.file ?? env.CALLKEEPER_CONFIG ?? (existsSync('config/callkeeper.yaml') ? 'config/callkeeper.yaml' : undefined);
  let raw: unknown = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AppError('CONFIG.INVALID', `cannot read config file ${file}: ${(e as Error).message}`, { cause: e });
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (e) {
      throw new AppError('CONFIG.INVALID', `config file ${file} is not valid YAML: ${(e as Error).message}`, { cause: e });
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new AppError('CONFIG.INVALID', `config file ${file} must hold a mapping at the top level`);
    }
  }
  const merged = applyEnv(structuredClone(raw) as Record<string, unknown>, env);
  const problems: string[] = [];
  readSecretFiles(merged, problems);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) {
    throw new AppError('CONFIG.INVALID', `invalid configuration${file ? ` in ${file}` : ''}:\n  ${problems.join('\n  ')}`, {
      details: { problems },
    });
  }
  return { config: parsed.data, source: file ?? null };
}

function camel(word: string): string {
  return word.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function coerce(v: string): unknown {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
}

function applyEnv(target: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || !key.startsWith('CALLKEEPER_')) continue;
    if (key === 'CALLKEEPER_CONFIG') continue;
    const path = key === 'CALLKEEPER_DB' ? ['database', 'path'] : key.slice('CALLKEEPER_'.length).split('__').map(camel);
    let node = target;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = coerce(value);
  }
  return target;
}

/** `passwordFile`/`tokenFile` next to a secret: the secret is read from that file (trailing newline dropped). */
function readSecretFiles(cfg: Record<string, unknown>, problems: string[]): void {
  for (const p of SECRET_PATHS) {
    const [section, key] = p.split('.') as [string, string];
    const node = cfg[section];
    if (typeof node !== 'object' || node === null) continue;
    const rec = node as Record<string, unknown>;
    const fileKey = `${key}File`;
    const f = rec[fileKey];
    if (typeof f !== 'string' || rec[key] !== undefined) continue;
    try {
      rec[key] = readFileSync(f, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      problems.push(`${section}.${fileKey}: cannot read ${f}: ${(e as Error).message}`);
    }
  }
}

/** The effective config with secrets masked, for `config check` and `doctor`. */
export function maskSecrets(config: Config): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const p of SECRET_PATHS) {
    const [section, key] = p.split('.') as [string, string];
    const node = copy[section];
    if (node && node[key] !== undefined) node[key] = '********';
  }
  return copy;
}

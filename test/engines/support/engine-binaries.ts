import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where the engine tier finds the real programs: the environment, with the install locations of
 * test/engines/README.md as defaults. A missing one is named in one line, never skipped silently.
 */
export interface EngineBinaries {
  readonly asterisk: string;
  readonly freeswitch: string;
  readonly sipp: string;
}

export const BINARY_ENV = {
  asterisk: { env: 'CALLKEEPER_ASTERISK_BIN', fallback: '/opt/asterisk/sbin/asterisk' },
  freeswitch: { env: 'CALLKEEPER_FREESWITCH_BIN', fallback: '/opt/freeswitch/bin/freeswitch' },
  sipp: { env: 'SIPP', fallback: 'sipp' },
} as const;

export type EngineProgram = keyof typeof BINARY_ENV;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A bare name is looked up on PATH; a path must be executable as given. */
export function resolveProgram(value: string, path = process.env['PATH'] ?? ''): string | null {
  if (value.includes('/')) return executable(value) ? value : null;
  for (const dir of path.split(delimiter)) {
    if (dir !== '' && executable(join(dir, value))) return join(dir, value);
  }
  return null;
}

/**
 * The programs, or the one-line reason the tier cannot run here. `engines`: only these engines are
 * required (SIPp always is); the others are reported as found or as an empty string.
 */
export function findEngineBinaries(
  env: NodeJS.ProcessEnv = process.env,
  engines: ReadonlyArray<'asterisk' | 'freeswitch'> = ['asterisk', 'freeswitch'],
): { ok: true; bins: EngineBinaries } | { ok: false; problem: string } {
  const found: Record<EngineProgram, string> = { asterisk: '', freeswitch: '', sipp: '' };
  const missing: string[] = [];
  for (const [name, { env: key, fallback }] of Object.entries(BINARY_ENV) as Array<[EngineProgram, (typeof BINARY_ENV)[EngineProgram]]>) {
    const wanted = env[key] ?? fallback;
    const at = resolveProgram(wanted, env['PATH']);
    if (at !== null) found[name] = at;
    else if (name === 'sipp' || engines.includes(name)) missing.push(`${name} (${key}=${wanted})`);
  }
  if (missing.length > 0) {
    return { ok: false, problem: `engine tier: not found: ${missing.join(', ')}; install them (test/engines/README.md) or point the variables at them` };
  }
  return { ok: true, bins: found };
}

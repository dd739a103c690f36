import { AppError } from '../domain/errors.ts';
import { isLoopback } from '../domain/loopback-host.ts';
import type { Config } from './config-schema.ts';

/**
 * What `serve` refuses in a config that the schema accepts: rules about how settings go together. One
 * function for `serve` (which refuses to start), `config check` (exit 1) and `doctor` (a failed config
 * row), so that the checks say exactly what the service would do. Problems name paths, never values.
 */
export function serveConfigProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.admin.token === undefined && !isLoopback(config.admin.host)) {
    problems.push(`admin.host: ${config.admin.host} is not loopback, so admin.token (or admin.tokenFile) must be set`);
  }
  return problems;
}

/** Throws the problems of serveConfigProblems() as one CONFIG.INVALID error. */
export function assertServable(config: Config, source: string | null): void {
  const problems = serveConfigProblems(config);
  if (problems.length > 0) {
    throw new AppError('CONFIG.INVALID', `serve refuses this configuration${source ? ` (${source})` : ''}: ${problems.join('; ')}`, { details: { problems } });
  }
}

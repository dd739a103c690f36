import type { Writable } from 'node:stream';
import { loadConfig, type LoadedConfig } from '../config/config-loader.ts';

/**
 * What every command gets: the global options, lazily loaded config, output streams. Commands call the
 * same use cases as the service (STYLE.md); they throw `AppError` for user errors (exit 1, one line).
 */
export interface CliContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  /** Global `--config FILE`. */
  configFile(): string | undefined;
  /** Global `--db PATH`, else `CALLKEEPER_DB`, else the config's `database.path`. */
  dbPath(): string;
  config(): LoadedConfig;
}

export function createCliContext(opts: {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  globals: () => { config?: string; db?: string };
}): CliContext {
  let loaded: LoadedConfig | undefined;
  const ctx: CliContext = {
    stdout: opts.stdout,
    stderr: opts.stderr,
    env: opts.env,
    configFile: () => opts.globals().config,
    config: () => (loaded ??= loadConfig({ file: opts.globals().config, env: opts.env })),
    dbPath: () => opts.globals().db ?? opts.env.CALLKEEPER_DB ?? ctx.config().config.database.path,
  };
  return ctx;
}

export function writeLine(stream: Writable, line: string): void {
  stream.write(`${line}\n`);
}

/**
 * Finds or creates a command group (`consent`, `business`, ...), so that several files can add
 * sub-commands to one group without depending on registration order.
 */
export function commandGroup(program: import('commander').Command, name: string, description: string): import('commander').Command {
  const existing = program.commands.find((c) => c.name() === name);
  return existing ?? program.command(name).description(description);
}

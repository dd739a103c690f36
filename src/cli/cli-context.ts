import type { Writable } from 'node:stream';
import type { LoadedConfig } from '../config/config-loader.ts';
import type { Config } from '../config/config-schema.ts';
import { AppError } from '../domain/errors.ts';

/**
 * The database a command works on: a SQLite file (`--db`, `CALLKEEPER_DB`, or database.path), or the
 * configured PostgreSQL (database.kind postgres, neither of those given: src/store/postgres/README.md,
 * "The admin CLI on PostgreSQL").
 */
export type CliDatabase = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly settings: Config['database'] };

/**
 * What every command gets: the global options, lazily loaded config, output streams. Commands call the
 * same use cases as the service (ARCHITECTURE.md); they throw `AppError` for user errors (exit 1, one line).
 */
export interface CliContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  /** Global `--config FILE`. */
  configFile(): string | undefined;
  /**
   * Global `--db PATH`, else `CALLKEEPER_DB`, else the config's `database.path`. On a PostgreSQL config
   * (`database()`) it throws the one line saying the command works on SQLite only: every command that has
   * not learnt PostgreSQL asks for the SQLite path, so none of them quietly opens a stray SQLite file.
   */
  dbPath(): string;
  /** `--db` or `CALLKEEPER_DB` (a SQLite file, which wins), else the config's `database`. */
  database(): CliDatabase;
  /** Loads the config on first use. Only in an action: see `prepare`. */
  config(): LoadedConfig;
  /**
   * Imports the config loader (the schema, zod, YAML), which `config()` needs. `lazyAction` awaits it
   * before an action runs, so that `--help` never pays for it.
   */
  prepare(): Promise<void>;
  /** Whether `--db` or `CALLKEEPER_DB` names the database, so that `dbPath()` needs no config. */
  dbPathGiven(): boolean;
}

export function createCliContext(opts: {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  globals: () => { config?: string; db?: string };
  /** The running command's name (`staff add`), for the SQLite-only line. */
  command?: () => string | undefined;
}): CliContext {
  let loaded: LoadedConfig | undefined;
  let loader: typeof import('../config/config-loader.ts') | undefined;
  const ctx: CliContext = {
    stdout: opts.stdout,
    stderr: opts.stderr,
    env: opts.env,
    configFile: () => opts.globals().config,
    config: () => {
      if (!loader) throw new Error('CliContext.config() before prepare(): run the action through lazyAction');
      return (loaded ??= loader.loadConfig({ file: opts.globals().config, env: opts.env }));
    },
    prepare: async () => {
      loader ??= await import('../config/config-loader.ts');
    },
    database: () => {
      const given = opts.globals().db ?? opts.env.CALLKEEPER_DB;
      if (given !== undefined) return { kind: 'sqlite', path: given };
      const settings = ctx.config().config.database;
      return settings.kind === 'postgres' ? { kind: 'postgres', settings } : { kind: 'sqlite', path: settings.path };
    },
    dbPath: () => {
      const db = ctx.database();
      if (db.kind === 'postgres') {
        throw new AppError('CONFIG.INVALID', `${opts.command?.() ?? 'this command'} works on SQLite installs only for now; this config uses PostgreSQL (database.kind)`);
      }
      return db.path;
    },
    dbPathGiven: () => (opts.globals().db ?? opts.env.CALLKEEPER_DB) !== undefined,
  };
  return ctx;
}

/**
 * A command's action, imported only when the command runs: `callkeeper --help` then loads commander and
 * the command definitions (`*-command.ts`), not SQLite, SMPP, Whisper or the config schema, which the
 * actions (`*-actions.ts`) import (README "Set-up"; bench/cli-startup.bench.ts measures it).
 */
export function lazyAction<A extends unknown[]>(
  ctx: CliContext,
  load: () => Promise<(ctx: CliContext, ...args: A) => unknown>,
  /**
   * `dbOnly`: the action reads the config for nothing but the database path, so the config loader
   * (~0.3 s and ~20 MB of start-up: `consent export`, bench/export.bench.ts) is skipped when `--db` or
   * `CALLKEEPER_DB` gives it.
   */
  needs: 'config' | 'dbOnly' = 'config',
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const [action] = await Promise.all([load(), needs === 'dbOnly' && ctx.dbPathGiven() ? undefined : ctx.prepare()]);
    await action(ctx, ...args);
  };
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

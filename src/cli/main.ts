import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { createCliContext, type CliContext } from './cli-context.ts';
import { debugWanted, reportCliError } from './cli-error-report.ts';
import { registerBusinessCommand } from './business-command.ts';
import { registerCallsCommand } from './calls-command.ts';
import { registerComplianceCommand } from './compliance-command.ts';
import { registerConfigCommand } from './config-command.ts';
import { registerConsentClassifyCommand } from './consent-classify-command.ts';
import { registerConsentCommand } from './consent-command.ts';
import { registerDbCommand } from './db-command.ts';
import { registerDemoCommand } from './demo-command.ts';
import { registerDoctorCommand } from './doctor-command.ts';
import { registerLedgerCommand } from './ledger-command.ts';
import { registerMessagesCommand } from './messages-command.ts';
import { registerModelCommand } from './model-command.ts';
import { registerNotifyCommand } from './notify-command.ts';
import { registerOptoutCommand } from './optout-command.ts';
import { registerPurgeCommand } from './purge-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerSmsCommand } from './sms-command.ts';
import { registerStaffCommand } from './staff-command.ts';
import { registerTranscribeCommand } from './transcribe-command.ts';
import { registerUrgencyCommand } from './urgency-command.ts';
import { registerUserCommand } from './user-command.ts';

/**
 * The `callkeeper` admin CLI. Exit codes are a contract: 0 success, 1 a user error (one clear line on
 * stderr), 2 a usage error (commander's message).
 */
type Registrar = (program: Command, ctx: CliContext) => void;

/**
 * Each command group lives in its own file and registers its definition here (names, options, help);
 * the module that carries out an action is imported when that command runs (`lazyAction`).
 */
const REGISTRARS: Registrar[] = [
  registerServeCommand,
  registerDemoCommand,
  registerDoctorCommand,
  registerConfigCommand,
  registerDbCommand,
  registerBusinessCommand,
  registerCallsCommand,
  registerConsentCommand,
  registerConsentClassifyCommand,
  registerLedgerCommand,
  registerTranscribeCommand,
  registerModelCommand,
  registerSmsCommand,
  registerMessagesCommand,
  registerOptoutCommand,
  registerPurgeCommand,
  registerStaffCommand,
  registerNotifyCommand,
  registerUrgencyCommand,
  registerComplianceCommand,
  registerUserCommand,
];

/** package.json's version: two folders up from src/cli/ and from dist/cli/ alike. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('callkeeper');
  program
    .description('callkeeper: self-hosted missed-call receptionist (admin CLI)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--config <file>', 'config file (YAML); default config/callkeeper.yaml or CALLKEEPER_CONFIG')
    .option('--db <path>', 'SQLite database (also on a PostgreSQL config); default CALLKEEPER_DB, then database.path from the config')
    .option('--debug', 'print the stack of an unexpected error (or set CALLKEEPER_DEBUG=1)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .exitOverride();
  for (const register of REGISTRARS) register(program, ctx);
  // Sub-commands inherit the output settings and the exit override.
  const walk = (c: Command): void => {
    for (const sub of c.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });
      walk(sub);
    }
  };
  walk(program);
  return program;
}

export async function runCli(
  argv: string[],
  io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  let program: Command | undefined;
  let running: string | undefined;
  const ctx = createCliContext({
    stdout: (io.stdout ?? process.stdout) as never,
    stderr: (io.stderr ?? process.stderr) as never,
    env: io.env ?? process.env,
    globals: () => (program?.opts() ?? {}) as { config?: string; db?: string },
    command: () => running,
  });
  program = buildProgram(ctx);
  // The full name of the command about to run (`consent verify`), for errors that name it.
  program.hook('preAction', (_program, action) => {
    const names: string[] = [];
    for (let c: Command | null = action; c !== null && c !== program; c = c.parent) names.unshift(c.name());
    running = names.join(' ');
  });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
      return 2;
    }
    return reportCliError(e, ctx.stderr, { debug: debugWanted(program.opts().debug, ctx.env) });
  }
}

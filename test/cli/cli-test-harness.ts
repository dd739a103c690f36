import { Writable } from 'node:stream';
import { CommanderError, type Command } from 'commander';
import { createCliContext, writeLine } from '../../src/cli/cli-context.ts';
import { buildProgram, runCli } from '../../src/cli/main.ts';
import { registerBusinessCommand } from '../../src/cli/business-command.ts';
import { registerConsentCommand } from '../../src/cli/consent-command.ts';
import { registerDbCommand } from '../../src/cli/db-command.ts';
import { isAppError } from '../../src/domain/errors.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A writable that keeps what the command printed. */
export function capture(): { stream: Writable; text: () => string } {
  let s = '';
  return {
    stream: new Writable({
      write(c, _e, cb) {
        s += String(c);
        cb();
      },
    }),
    text: () => s,
  };
}

function isWired(): boolean {
  const sink = capture().stream;
  const program = buildProgram(createCliContext({ stdout: sink, stderr: sink, env: {}, globals: () => ({}) }));
  return ['business', 'consent', 'db'].every((n) => program.commands.some((c) => c.name() === n));
}

const WIRED = isWired();

/**
 * Runs `callkeeper ARGS` in-process with captured streams: through `runCli` from src/cli/main.ts once
 * the lead has wired these registrars there, until then through the same program with them added and
 * the same exit-code mapping (0 ok, 1 AppError, 2 usage).
 */
export async function callkeeper(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out = capture();
  const err = capture();
  if (WIRED) {
    const code = await runCli(['node', 'callkeeper', ...args], { stdout: out.stream, stderr: err.stream, env });
    return { code, stdout: out.text(), stderr: err.text() };
  }
  let program: Command | undefined;
  const ctx = createCliContext({
    stdout: out.stream,
    stderr: err.stream,
    env,
    globals: () => (program?.opts() ?? {}) as { config?: string; db?: string },
  });
  program = buildProgram(ctx);
  registerDbCommand(program, ctx);
  registerBusinessCommand(program, ctx);
  registerConsentCommand(program, ctx);
  const walk = (c: Command): void => {
    for (const sub of c.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });
      walk(sub);
    }
  };
  walk(program);
  let code = 0;
  try {
    await program.parseAsync(['node', 'callkeeper', ...args]);
  } catch (e) {
    if (e instanceof CommanderError) code = e.code === 'commander.helpDisplayed' || e.code === 'commander.help' ? 0 : 2;
    else if (isAppError(e)) {
      writeLine(ctx.stderr, `callkeeper: ${e.message}`);
      code = 1;
    } else throw e;
  }
  return { code, stdout: out.text(), stderr: err.text() };
}

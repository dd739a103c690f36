import type { Writable } from 'node:stream';
import { isAppError } from '../domain/errors.ts';
import { writeLine } from './cli-context.ts';

/** Set to 1 (or pass the global `--debug`) to get the stack of an unexpected error. */
export const DEBUG_ENV = 'CALLKEEPER_DEBUG';

const HINT = `(run with --debug or ${DEBUG_ENV}=1 for the stack)`;

/**
 * How a failed command ends (exit 1): an AppError is the user's one line, whatever its message holds; any
 * other error is a bug or an unforeseen failure, also one line, plus how to get its stack. Only with
 * `--debug` or CALLKEEPER_DEBUG=1 is a stack printed, since a stack is noise to an installer and a
 * library's frames can quote what it was given.
 */
export function reportCliError(e: unknown, stderr: Writable, opts: { debug: boolean }): number {
  if (isAppError(e)) {
    writeLine(stderr, `callkeeper: ${oneLine(e.message)}`);
    if (opts.debug && e.stack) writeLine(stderr, stackOf(e));
    return 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  if (opts.debug) {
    writeLine(stderr, `callkeeper: unexpected error: ${stackOf(err)}`);
    return 1;
  }
  const first = err.message.split('\n', 1)[0]?.trim() ?? '';
  writeLine(stderr, `callkeeper: unexpected error: ${err.name}${first ? `: ${first}` : ''} ${HINT}`);
  return 1;
}

export function debugWanted(flag: unknown, env: NodeJS.ProcessEnv): boolean {
  const v = env[DEBUG_ENV];
  return flag === true || (v !== undefined && v !== '' && v !== '0' && v !== 'false');
}

/** The message's lines joined, so that an error written for a log never spans lines on a terminal. */
function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' ');
}

function stackOf(e: Error): string {
  let text = e.stack ?? `${e.name}: ${e.message}`;
  for (let c = e.cause, depth = 0; c !== undefined && depth < 5; c = c instanceof Error ? c.cause : undefined, depth++) {
    text += `\ncaused by: ${c instanceof Error ? (c.stack ?? c.message) : String(c)}`;
  }
  return text;
}

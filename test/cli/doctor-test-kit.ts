import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Command, CommanderError } from 'commander';
import WebSocket from 'ws';
import { createCliContext, writeLine } from '../../src/cli/cli-context.ts';
import { registerDoctorCommand } from '../../src/cli/doctor-command.ts';
import { isAppError } from '../../src/domain/errors.ts';
import type { AriSimulator } from '../../src/sim/ari/ari-simulator.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { consentEvent } from '../store/store-test-helpers.ts';
import { capture } from './cli-test-harness.ts';
import { DEFAULT_WAIT_MS, onceWithin } from '../support/wait-for.ts';

/** The repository's random-weight model maker (scripts/README.md). */
export const MODEL_TOOL = fileURLToPath(new URL('../../scripts/make-random-whisper-model.mjs', import.meta.url));

export interface DoctorRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DoctorRow {
  readonly name: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly detail: string;
}


/**
 * `callkeeper ARGS` through commander with only the doctor registrar (as src/cli/main.ts will have it)
 * and main.ts's exit-code mapping: 0 ok, 1 an AppError (one line on stderr), 2 usage.
 */
export async function doctor(args: string[], env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): Promise<DoctorRun> {
  const out = capture();
  const err = capture();
  let program: Command | undefined;
  const ctx = createCliContext({
    stdout: out.stream,
    stderr: err.stream,
    env,
    globals: () => (program?.opts() ?? {}) as { config?: string; db?: string },
  });
  program = new Command('callkeeper').option('--config <file>').option('--db <path>').exitOverride();
  registerDoctorCommand(program, ctx);
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => out.stream.write(s), writeErr: (s) => err.stream.write(s) });
  let code = 0;
  try {
    await program.parseAsync(['node', 'callkeeper', ...args]);
  } catch (e) {
    if (e instanceof CommanderError) code = 2;
    else if (isAppError(e)) {
      writeLine(ctx.stderr, `callkeeper: ${e.message}`);
      code = 1;
    } else throw e;
  }
  return { code, stdout: out.text(), stderr: err.text() };
}

export function rowsOf(run: DoctorRun): DoctorRow[] {
  return (JSON.parse(run.stdout) as { checks: DoctorRow[] }).checks;
}

export function row(run: DoctorRun, name: string): DoctorRow {
  const r = rowsOf(run).find((x) => x.name === name);
  if (!r) throw new Error(`no ${name} row in ${run.stdout}`);
  return r;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ck-doctor-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Phone numbers the fixture ledgers hold: none may show up in doctor's output. */
export const CONSUMERS = ['+15125550123', '+15125550124', '+15125550125'];

/** A migrated database with a three-record ledger. */
export function healthyDb(path: string): void {
  const db = openDatabase(path);
  migrate(db);
  const store = new SqliteConsentStore(db);
  for (const consumer of CONSUMERS) store.append(consentEvent({ consumer }));
  db.close();
}

export function looseDb(path: string): void {
  healthyDb(path);
  chmodSync(path, 0o644);
}

/** Record 2 edited through a second connection with the append-only triggers dropped (as test/store does). */
export function tamperedDb(path: string): void {
  healthyDb(path);
  const raw = new Database(path);
  raw.exec('DROP TRIGGER consent_ledger_no_update; DROP TRIGGER consent_ledger_no_delete; DROP TRIGGER consent_scripts_no_update;');
  raw.exec("UPDATE consent_ledger SET event = 'revoked' WHERE id = 2");
  raw.close();
}

export function randomWhisperModel(path: string): void {
  execFileSync(process.execPath, [MODEL_TOOL, path, 'tiny.en', '--layers', '1'], { stdio: 'ignore' });
}

/** What `serve` does to register the Stasis app: open the events websocket (then it may go). */
export async function registerAriApp(sim: AriSimulator, app: string): Promise<WebSocket> {
  const { username, password } = sim.credentials;
  const ws = new WebSocket(`${sim.url.replace(/^http/, 'ws')}/ari/events?app=${app}&api_key=${username}:${password}`);
  await onceWithin(ws, 'open', DEFAULT_WAIT_MS, 'the ARI events websocket to open');
  return ws;
}

export function writeConfig(path: string, yaml: string): string {
  writeFileSync(path, yaml);
  return path;
}

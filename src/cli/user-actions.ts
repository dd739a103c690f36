import { readFileSync } from 'node:fs';
import { addConsoleUser, changeConsolePassword } from '../app/console/console-users.ts';
import { AppError } from '../domain/errors.ts';
import type { AsyncConsoleAccounts } from '../domain/ports/async-stores.ts';
import { ConnectionTurns, inTurns } from '../store/sqlite-async-stores.ts';
import { SqliteConsoleAccounts } from '../store/sqlite-console-accounts.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStore } from './cli-store.ts';

/** The first line of the file (or of standard input for "-"): never an argument, which `ps` would show. */
async function readPassword(file: string): Promise<string> {
  let text: string;
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AppError('INPUT.NOT_FOUND', `cannot read the password file ${file}`, { cause: e });
    }
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new AppError('INPUT.INVALID', 'no password given (first line of --password-file, or standard input)');
  return line;
}

/**
 * Runs `fn` on the console's users of the command's database: the SQLite file (opened as `withCliStore`
 * opens it), or the configured PostgreSQL, whose users every node's console signs in against
 * (src/store/postgres/README.md, "The admin CLI on PostgreSQL").
 */
async function withAccounts<T>(ctx: CliContext, opts: { mustExist?: boolean; readonly?: boolean }, fn: (a: AsyncConsoleAccounts) => Promise<T>): Promise<T> {
  const db = ctx.database();
  if (db.kind === 'postgres') {
    const { withCliPgStore } = await import('./cli-pg-store.ts');
    return withCliPgStore(db.settings, { readonly: opts.readonly ?? false }, (s) => fn(s.consoleAccounts));
  }
  return withCliStore(ctx, opts, (s) => fn(inTurns(new SqliteConsoleAccounts(s.db), new ConnectionTurns())));
}

/** `user add` (src/cli/user-command.ts). */
export async function userAdd(ctx: CliContext, name: string, o: { role: string; passwordFile: string }): Promise<void> {
  const password = await readPassword(o.passwordFile);
  const u = await withAccounts(ctx, {}, (a) => addConsoleUser(a, { username: name, role: o.role, password, now: Date.now() }));
  writeLine(ctx.stdout, `added ${u.role} ${u.username}`);
}

/** `user list`. */
export async function userList(ctx: CliContext, o: { json?: boolean }): Promise<void> {
  await withAccounts(ctx, { readonly: true }, async (a) => {
    const users = await a.list();
    if (o.json) {
      for (const u of users) writeLine(ctx.stdout, JSON.stringify({ ...u, createdAt: new Date(u.createdAt).toISOString() }));
      return;
    }
    if (users.length === 0) return writeLine(ctx.stdout, 'no users');
    for (const u of users) writeLine(ctx.stdout, [u.username, u.role, new Date(u.createdAt).toISOString()].join('\t'));
  });
}

/** `user remove`. */
export async function userRemove(ctx: CliContext, name: string): Promise<void> {
  const u = await withAccounts(ctx, { mustExist: true }, (a) => a.remove(name));
  writeLine(ctx.stdout, `removed ${u.username}`);
}

/** `user passwd`. */
export async function userPasswd(ctx: CliContext, name: string, o: { passwordFile: string }): Promise<void> {
  const password = await readPassword(o.passwordFile);
  const u = await withAccounts(ctx, { mustExist: true }, (a) => changeConsolePassword(a, { username: name, password, now: Date.now() }));
  writeLine(ctx.stdout, `password changed for ${u.username}; their sessions ended`);
}

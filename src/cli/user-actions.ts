import { readFileSync } from 'node:fs';
import { addConsoleUser, changeConsolePassword } from '../app/console/console-users.ts';
import { AppError } from '../domain/errors.ts';
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

/** `user add` (src/cli/user-command.ts). */
export async function userAdd(ctx: CliContext, name: string, o: { role: string; passwordFile: string }): Promise<void> {
  const password = await readPassword(o.passwordFile);
  const u = await withCliStore(ctx, {}, (s) => addConsoleUser(new SqliteConsoleAccounts(s.db), { username: name, role: o.role, password, now: Date.now() }));
  writeLine(ctx.stdout, `added ${u.role} ${u.username}`);
}

/** `user list`. */
export async function userList(ctx: CliContext, o: { json?: boolean }): Promise<void> {
  await withCliStore(ctx, { readonly: true }, (s) => {
    const users = new SqliteConsoleAccounts(s.db).list();
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
  const u = await withCliStore(ctx, { mustExist: true }, (s) => new SqliteConsoleAccounts(s.db).remove(name));
  writeLine(ctx.stdout, `removed ${u.username}`);
}

/** `user passwd`. */
export async function userPasswd(ctx: CliContext, name: string, o: { passwordFile: string }): Promise<void> {
  const password = await readPassword(o.passwordFile);
  const u = await withCliStore(ctx, { mustExist: true }, (s) => changeConsolePassword(new SqliteConsoleAccounts(s.db), { username: name, password, now: Date.now() }));
  writeLine(ctx.stdout, `password changed for ${u.username}; their sessions ended`);
}

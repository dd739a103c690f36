import { AppError } from '../../domain/errors.ts';
import type { AsyncConsoleAccounts } from '../../domain/ports/async-stores.ts';
import { CONSOLE_ROLES, type ConsoleAccounts, type ConsoleRole, type ConsoleUser } from '../../domain/ports/console-accounts.ts';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.ts';

/** Shorter passwords are refused: the console guards consent records and recordings. */
export const MIN_PASSWORD_LENGTH = 12;
const USERNAME_RE = /^[A-Za-z0-9._@-]{1,64}$/;

/** The accounts through either port: SQLite's synchronous store, or one that answers later (PostgreSQL, or SQLite in turns). */
type Accounts<K extends keyof ConsoleAccounts> = Pick<ConsoleAccounts, K> | Pick<AsyncConsoleAccounts, K>;

export function requireRole(role: string): ConsoleRole {
  if (!(CONSOLE_ROLES as readonly string[]).includes(role)) throw new AppError('INPUT.INVALID', `--role must be one of ${CONSOLE_ROLES.join(', ')}`);
  return role as ConsoleRole;
}

function requireUsername(name: string): string {
  if (!USERNAME_RE.test(name)) throw new AppError('INPUT.INVALID', 'the user name must be 1-64 letters, digits or . _ @ -');
  return name;
}

function requirePassword(password: string): string {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new AppError('INPUT.INVALID', `the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

/** `callkeeper user add NAME --role R` (password from stdin). */
export async function addConsoleUser(accounts: Accounts<'findForSignIn' | 'addUser'>, input: { username: string; role: string; password: string; now: number }): Promise<ConsoleUser> {
  const username = requireUsername(input.username);
  const role = requireRole(input.role);
  const passwordHash = await hashPassword(requirePassword(input.password));
  if (await accounts.findForSignIn(username)) throw new AppError('INPUT.INVALID', `user ${username} exists (use: callkeeper user passwd)`);
  return accounts.addUser({ username, role, passwordHash, at: input.now });
}

/** `callkeeper user passwd NAME`: ends the user's sessions too. */
export async function changeConsolePassword(accounts: Accounts<'setPassword'>, input: { username: string; password: string; now: number }): Promise<ConsoleUser> {
  const passwordHash = await hashPassword(requirePassword(input.password));
  return accounts.setPassword(input.username, passwordHash, input.now);
}

/** The console's sign-in: the user when the password matches, else null (same cost for an unknown name). */
export async function signIn(accounts: Accounts<'findForSignIn'>, username: string, password: string): Promise<ConsoleUser | null> {
  const found = await accounts.findForSignIn(username);
  const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
  return found && ok ? found.user : null;
}

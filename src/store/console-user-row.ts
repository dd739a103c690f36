import type { ConsoleRole, ConsoleUser } from '../domain/ports/console-accounts.ts';

/**
 * What SqliteConsoleAccounts and PgConsoleAccounts (postgres/pg-console-accounts.ts) share: the
 * `console_users` row and its mapping to a ConsoleUser (never the password). Each store keeps its own SQL.
 */
export interface ConsoleUserRow {
  id: number;
  username: string;
  role: ConsoleRole;
  password: string;
  created_at: number;
}

export const toConsoleUser = (r: ConsoleUserRow): ConsoleUser => ({ id: r.id, username: r.username, role: r.role, createdAt: r.created_at });

import { AppError } from '../domain/errors.ts';
import type { AuditEntry, ConsoleAccounts, ConsoleRole, ConsoleSessionStore, ConsoleUser } from '../domain/ports/console-accounts.ts';
import { toConsoleUser, type ConsoleUserRow } from './console-user-row.ts';
import { isConstraintError, type SqliteDb } from './sqlite-database.ts';

/** Console users, sessions and audit log (migration 009). */
export class SqliteConsoleAccounts implements ConsoleAccounts, ConsoleSessionStore {
  constructor(
    private readonly db: SqliteDb,
    private readonly clock: { now(): number } = { now: Date.now },
  ) {}

  addUser(u: { username: string; role: ConsoleRole; passwordHash: string; at: number }): ConsoleUser {
    try {
      const r = this.db
        .prepare('INSERT INTO console_users (username, role, password, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING *')
        .get(u.username, u.role, u.passwordHash, u.at, u.at) as ConsoleUserRow;
      return toConsoleUser(r);
    } catch (e) {
      if (isConstraintError(e, 'UNIQUE')) throw new AppError('INPUT.INVALID', `user ${u.username} exists`, { cause: e });
      throw e;
    }
  }

  findForSignIn(username: string): { user: ConsoleUser; passwordHash: string } | undefined {
    const r = this.db.prepare('SELECT * FROM console_users WHERE username = ?').get(username) as ConsoleUserRow | undefined;
    return r ? { user: toConsoleUser(r), passwordHash: r.password } : undefined;
  }

  byId(id: number): ConsoleUser | undefined {
    const r = this.db.prepare('SELECT * FROM console_users WHERE id = ?').get(id) as ConsoleUserRow | undefined;
    return r ? toConsoleUser(r) : undefined;
  }

  list(): ConsoleUser[] {
    return (this.db.prepare('SELECT * FROM console_users ORDER BY username').all() as ConsoleUserRow[]).map(toConsoleUser);
  }

  remove(username: string): ConsoleUser {
    return this.db.transaction(() => {
      const found = this.findForSignIn(username);
      if (!found) throw new AppError('INPUT.NOT_FOUND', `no user ${username}`);
      this.db.prepare('DELETE FROM console_sessions WHERE user_id = ?').run(found.user.id);
      this.db.prepare('DELETE FROM console_users WHERE id = ?').run(found.user.id);
      return found.user;
    })();
  }

  setPassword(username: string, passwordHash: string, at: number): ConsoleUser {
    return this.db.transaction(() => {
      const found = this.findForSignIn(username);
      if (!found) throw new AppError('INPUT.NOT_FOUND', `no user ${username}`);
      this.db.prepare('UPDATE console_users SET password = ?, updated_at = ? WHERE id = ?').run(passwordHash, at, found.user.id);
      this.db.prepare('DELETE FROM console_sessions WHERE user_id = ?').run(found.user.id);
      return found.user;
    })();
  }

  audit(e: Omit<AuditEntry, 'id'>): AuditEntry {
    const r = this.db
      .prepare('INSERT INTO console_audit (at, username, action, target, detail) VALUES (?, ?, ?, ?, ?) RETURNING id')
      .get(e.at, e.username, e.action, e.target, e.detail) as { id: number };
    return { id: r.id, ...e };
  }

  recentAudit(limit: number): AuditEntry[] {
    return this.db.prepare('SELECT id, at, username, action, target, detail FROM console_audit ORDER BY id DESC LIMIT ?').all(limit) as AuditEntry[];
  }

  get(id: string, now: number): string | undefined {
    const r = this.db.prepare('SELECT data, expires_at FROM console_sessions WHERE id = ?').get(id) as { data: string; expires_at: number } | undefined;
    if (!r) return undefined;
    if (r.expires_at <= now) {
      this.destroy(id);
      return undefined;
    }
    return r.data;
  }

  set(id: string, data: string, userId: number | null, expiresAt: number): void {
    this.db
      .prepare(
        'INSERT INTO console_sessions (id, user_id, data, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at',
      )
      .run(id, userId, data, expiresAt);
    // Expired sessions go as new ones are written: no timer needed, and the table stays small.
    this.db.prepare('DELETE FROM console_sessions WHERE expires_at <= ?').run(this.clock.now());
  }

  destroy(id: string): void {
    this.db.prepare('DELETE FROM console_sessions WHERE id = ?').run(id);
  }

  cookieSecret(make: () => string): string {
    this.db.prepare('INSERT INTO console_secret (id, value) VALUES (1, ?) ON CONFLICT(id) DO NOTHING').run(make());
    return (this.db.prepare('SELECT value FROM console_secret WHERE id = 1').get() as { value: string }).value;
  }
}

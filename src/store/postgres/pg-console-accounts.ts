import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { AsyncConsoleAccounts } from '../../domain/ports/async-stores.ts';
import type { AuditEntry, ConsoleRole, ConsoleUser } from '../../domain/ports/console-accounts.ts';
import { toConsoleUser, type ConsoleUserRow } from '../console-user-row.ts';
import { inPgTransaction, isUniqueViolation } from './pg-database.ts';

/**
 * Console users and the audit log on PostgreSQL (migrations/pg-005-console.ts), shared by every node:
 * SqliteConsoleAccounts' operations and errors. Names compare case-insensitively (`lower(username)`,
 * SQLite's COLLATE NOCASE); a name two admins add at once is one row, the other `INPUT.INVALID`.
 */
export class PgConsoleAccounts implements AsyncConsoleAccounts {
  constructor(private readonly pool: pg.Pool) {}

  async addUser(u: { username: string; role: ConsoleRole; passwordHash: string; at: number }): Promise<ConsoleUser> {
    try {
      const r = await this.pool.query<ConsoleUserRow>(
        'INSERT INTO console_users (username, role, password, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING *',
        [u.username, u.role, u.passwordHash, u.at],
      );
      return toConsoleUser(r.rows[0]!);
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('INPUT.INVALID', `user ${u.username} exists`, { cause: e });
      throw e;
    }
  }

  async findForSignIn(username: string): Promise<{ user: ConsoleUser; passwordHash: string } | undefined> {
    const r = (await this.pool.query<ConsoleUserRow>('SELECT * FROM console_users WHERE lower(username) = lower($1)', [username])).rows[0];
    return r ? { user: toConsoleUser(r), passwordHash: r.password } : undefined;
  }

  async byId(id: number): Promise<ConsoleUser | undefined> {
    const r = (await this.pool.query<ConsoleUserRow>('SELECT * FROM console_users WHERE id = $1', [id])).rows[0];
    return r ? toConsoleUser(r) : undefined;
  }

  async list(): Promise<ConsoleUser[]> {
    return (await this.pool.query<ConsoleUserRow>('SELECT * FROM console_users ORDER BY lower(username), id')).rows.map(toConsoleUser);
  }

  /** The user's sessions go with the row (ON DELETE CASCADE), on every node at once. */
  async remove(username: string): Promise<ConsoleUser> {
    const r = (await this.pool.query<ConsoleUserRow>('DELETE FROM console_users WHERE lower(username) = lower($1) RETURNING *', [username])).rows[0];
    if (!r) throw new AppError('INPUT.NOT_FOUND', `no user ${username}`);
    return toConsoleUser(r);
  }

  async setPassword(username: string, passwordHash: string, at: number): Promise<ConsoleUser> {
    return inPgTransaction(this.pool, async (c) => {
      const r = (await c.query<ConsoleUserRow>('UPDATE console_users SET password = $1, updated_at = $2 WHERE lower(username) = lower($3) RETURNING *', [passwordHash, at, username])).rows[0];
      if (!r) throw new AppError('INPUT.NOT_FOUND', `no user ${username}`);
      await c.query('DELETE FROM console_sessions WHERE user_id = $1', [r.id]);
      return toConsoleUser(r);
    });
  }

  async audit(e: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const r = await this.pool.query<{ id: number }>('INSERT INTO console_audit (at, username, action, target, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
      e.at,
      e.username,
      e.action,
      e.target,
      e.detail,
    ]);
    return { id: r.rows[0]!.id, ...e };
  }

  async recentAudit(limit: number): Promise<AuditEntry[]> {
    return (await this.pool.query<AuditEntry>('SELECT id, at, username, action, target, detail FROM console_audit ORDER BY id DESC LIMIT $1', [limit])).rows;
  }
}

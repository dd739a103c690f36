import type pg from 'pg';
import type { AsyncConsoleSessionStore } from '../../domain/ports/async-stores.ts';

/**
 * The console's sessions on PostgreSQL (migrations/pg-005-console.ts): one table for every node, so a
 * session made on node A is valid on node B and signing out on either ends it on both. The key that signs
 * the cookies is one row too, written by the first node to ask; every other node reads that one, so a
 * cookie one node signed verifies on the others. SqliteConsoleAccounts' session half, same rules.
 */
export class PgConsoleSessionStore implements AsyncConsoleSessionStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: { now(): number } = { now: Date.now },
  ) {}

  async get(id: string, now: number): Promise<string | undefined> {
    const r = (await this.pool.query<{ data: string; expires_at: number }>('SELECT data, expires_at FROM console_sessions WHERE id = $1', [id])).rows[0];
    if (!r) return undefined;
    if (r.expires_at <= now) {
      await this.destroy(id);
      return undefined;
    }
    return r.data;
  }

  async set(id: string, data: string, userId: number | null, expiresAt: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO console_sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at',
      [id, userId, data, expiresAt],
    );
    // Expired sessions go as new ones are written: no timer on any node, and the table stays small.
    await this.pool.query('DELETE FROM console_sessions WHERE expires_at <= $1', [this.clock.now()]);
  }

  async destroy(id: string): Promise<void> {
    await this.pool.query('DELETE FROM console_sessions WHERE id = $1', [id]);
  }

  async cookieSecret(make: () => string): Promise<string> {
    // Two nodes starting at once both try; the key is whichever insert committed first.
    await this.pool.query('INSERT INTO console_secret (id, value) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [make()]);
    return (await this.pool.query<{ value: string }>('SELECT value FROM console_secret WHERE id = 1')).rows[0]!.value;
  }
}

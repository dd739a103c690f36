import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import type { AsyncConsoleSessionStore } from '../domain/ports/async-stores.ts';

type Callback = (err?: unknown) => void;
type CallbackSession = (err: unknown, result?: Session | null) => void;

/**
 * @fastify/session's store interface (callbacks) over the console's session table (SQLite migration 009,
 * PostgreSQL pg-005-console): every call answers through its callback once the store's promise settles.
 */
export class ConsoleSessionStoreAdapter implements SessionStore {
  constructor(
    private readonly sessions: AsyncConsoleSessionStore,
    private readonly now: () => number,
    private readonly maxAgeMs: number,
  ) {}

  set(sessionId: string, session: Session, callback: Callback): void {
    const expires = (session as { cookie?: { expires?: Date | string | null } }).cookie?.expires;
    const expiresAt = expires ? new Date(expires).getTime() : this.now() + this.maxAgeMs;
    answer(() => this.sessions.set(sessionId, JSON.stringify(session), session.userId ?? null, expiresAt), () => callback(), callback);
  }

  get(sessionId: string, callback: CallbackSession): void {
    answer(() => this.sessions.get(sessionId, this.now()), (data) => callback(null, data === undefined ? null : (JSON.parse(data) as Session)), callback);
  }

  destroy(sessionId: string, callback: Callback): void {
    answer(() => this.sessions.destroy(sessionId), () => callback(), callback);
  }
}

/** Runs `op` and hands its value to `ok`, or any failure (thrown or rejected, or thrown by `ok`) to `fail`, once. */
function answer<T>(op: () => Promise<T>, ok: (v: T) => void, fail: (e: unknown) => void): void {
  let p: Promise<T>;
  try {
    p = op();
  } catch (e) {
    fail(e);
    return;
  }
  p.then(ok, fail);
}

import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import type { ConsoleSessionStore } from '../domain/ports/console-accounts.ts';

type Callback = (err?: unknown) => void;
type CallbackSession = (err: unknown, result?: Session | null) => void;

/** @fastify/session's store interface over the console's session table (migration 009). */
export class ConsoleSessionStoreAdapter implements SessionStore {
  constructor(
    private readonly sessions: ConsoleSessionStore,
    private readonly now: () => number,
    private readonly maxAgeMs: number,
  ) {}

  set(sessionId: string, session: Session, callback: Callback): void {
    try {
      const expires = (session as { cookie?: { expires?: Date | string | null } }).cookie?.expires;
      const expiresAt = expires ? new Date(expires).getTime() : this.now() + this.maxAgeMs;
      this.sessions.set(sessionId, JSON.stringify(session), session.userId ?? null, expiresAt);
      callback();
    } catch (e) {
      callback(e);
    }
  }

  get(sessionId: string, callback: CallbackSession): void {
    try {
      const data = this.sessions.get(sessionId, this.now());
      callback(null, data === undefined ? null : (JSON.parse(data) as Session));
    } catch (e) {
      callback(e);
    }
  }

  destroy(sessionId: string, callback: Callback): void {
    try {
      this.sessions.destroy(sessionId);
      callback();
    } catch (e) {
      callback(e);
    }
  }
}

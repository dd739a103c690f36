/** The web console's users, sessions and audit log (src/console/README.md). */
export const CONSOLE_ROLES = ['viewer', 'admin'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export interface ConsoleUser {
  readonly id: number;
  readonly username: string;
  readonly role: ConsoleRole;
  readonly createdAt: number;
}

/** What an admin did in the console: revoke, export (evidence download), template change. */
export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly username: string;
  readonly action: string;
  /** What it was done to (`consumer:+1…@business:1`, `record:12`, `business:1/received`). */
  readonly target: string;
  readonly detail: string;
}

export interface ConsoleAccounts {
  addUser(u: { username: string; role: ConsoleRole; passwordHash: string; at: number }): ConsoleUser;
  /** The user and the stored scrypt string, for sign-in. */
  findForSignIn(username: string): { user: ConsoleUser; passwordHash: string } | undefined;
  byId(id: number): ConsoleUser | undefined;
  list(): ConsoleUser[];
  /** Deletes the user and every session of theirs; throws INPUT.NOT_FOUND for an unknown name. */
  remove(username: string): ConsoleUser;
  /** Sets a new password and ends the user's sessions; throws INPUT.NOT_FOUND for an unknown name. */
  setPassword(username: string, passwordHash: string, at: number): ConsoleUser;
  audit(e: Omit<AuditEntry, 'id'>): AuditEntry;
  recentAudit(limit: number): AuditEntry[];
}

/** Session persistence for the console (the session middleware's store is an adapter over this). */
export interface ConsoleSessionStore {
  get(id: string, now: number): string | undefined;
  set(id: string, data: string, userId: number | null, expiresAt: number): void;
  destroy(id: string): void;
  /** The key that signs session cookies, created on first use. */
  cookieSecret(make: () => string): string;
}

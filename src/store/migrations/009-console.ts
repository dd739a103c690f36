import type { Migration } from './migration.ts';

/**
 * The web console (src/console/README.md): its users, their sessions and the audit log of what admins
 * did there. `console_users.password` is an scrypt string (`scrypt$N$r$p$salt$hash`,
 * src/app/console/password-hash.ts), never a password. A session row holds the serialized
 * @fastify/session object (user id, CSRF secret) and its expiry; signing out or removing the user
 * deletes it. `console_audit` is append-only like the ledger: admins answer for what they did.
 * `console_secret` keeps the key that signs session cookies, so sessions survive a restart.
 */
export const migration009: Migration = {
  version: 9,
  name: 'console',
  sql: `
CREATE TABLE console_users (
  id          INTEGER PRIMARY KEY,
  username    TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  role        TEXT    NOT NULL CHECK (role IN ('viewer','admin')),
  password    TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE console_sessions (
  id          TEXT    PRIMARY KEY,
  user_id     INTEGER REFERENCES console_users(id) ON DELETE CASCADE,
  data        TEXT    NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
CREATE TABLE console_audit (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  username    TEXT    NOT NULL,
  action      TEXT    NOT NULL,
  target      TEXT    NOT NULL,
  detail      TEXT    NOT NULL DEFAULT ''
);
CREATE TRIGGER console_audit_no_update BEFORE UPDATE ON console_audit BEGIN SELECT RAISE(ABORT, 'console_audit is append-only'); END;
CREATE TRIGGER console_audit_no_delete BEFORE DELETE ON console_audit BEGIN SELECT RAISE(ABORT, 'console_audit is append-only'); END;
CREATE TABLE console_secret (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  value  TEXT    NOT NULL
);
`,
};

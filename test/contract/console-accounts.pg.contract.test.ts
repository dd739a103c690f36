/**
 * The ConsoleAccounts contract over PostgreSQL (src/store/postgres/pg-console-accounts.ts and
 * pg-console-session-store.ts: one role each, on one pool), a fresh database per test.
 */
import { PgConsoleAccounts } from '../../src/store/postgres/pg-console-accounts.ts';
import { PgConsoleSessionStore } from '../../src/store/postgres/pg-console-session-store.ts';
import { runConsoleAccountsContract } from './console-accounts-contract.ts';
import { usePgCluster } from './pg-contract-db.ts';

const freshDb = usePgCluster();

runConsoleAccountsContract('PostgreSQL', async () => {
  const db = await freshDb();
  let now = 0;
  const tryRun = async (sql: string, id: number): Promise<'refused' | 'changed'> => {
    try {
      return ((await db.pool.query(sql, [id])).rowCount ?? 0) > 0 ? 'changed' : 'refused';
    } catch {
      return 'refused';
    }
  };
  return {
    accounts: new PgConsoleAccounts(db.pool),
    sessions: new PgConsoleSessionStore(db.pool, { now: () => now }),
    setNow: (ms) => {
      now = ms;
    },
    editAudit: async (id) => ({ update: await tryRun("UPDATE console_audit SET detail = 'edited' WHERE id = $1", id), delete: await tryRun('DELETE FROM console_audit WHERE id = $1', id) }),
    sessionIds: async () => (await db.pool.query<{ id: string }>('SELECT id FROM console_sessions ORDER BY id')).rows.map((r) => r.id),
    close: db.close,
  };
});

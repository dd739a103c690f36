/** The ConsoleAccounts contract over SQLite (src/store/sqlite-console-accounts.ts), a temp file per test. */
import { SqliteConsoleAccounts } from '../../src/store/sqlite-console-accounts.ts';
import { runConsoleAccountsContract } from './console-accounts-contract.ts';
import { contractDb } from './sqlite-contract-db.ts';

runConsoleAccountsContract('SQLite on a temp file', () => {
  const c = contractDb('console');
  let now = 0;
  const store = new SqliteConsoleAccounts(c.db, { now: () => now });
  const tryRun = (sql: string, id: number): 'refused' | 'changed' => {
    try {
      return c.db.prepare(sql).run(id).changes > 0 ? 'changed' : 'refused';
    } catch {
      return 'refused';
    }
  };
  return {
    accounts: store,
    sessions: store,
    setNow: (ms) => {
      now = ms;
    },
    editAudit: (id) => ({ update: tryRun("UPDATE console_audit SET detail = 'edited' WHERE id = ?", id), delete: tryRun('DELETE FROM console_audit WHERE id = ?', id) }),
    sessionIds: () => c.db.prepare('SELECT id FROM console_sessions ORDER BY id').pluck().all() as string[],
    close: c.close,
  };
});

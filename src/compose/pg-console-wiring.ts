import type pg from 'pg';
import { verifyLedgerAsync } from '../app/consent/verify-ledger.ts';
import type { ConsoleDeps } from '../console/console-deps.ts';
import { isAppError } from '../domain/errors.ts';
import { PgCallHistory } from '../store/postgres/pg-call-history.ts';
import { PgCallRecordReader } from '../store/postgres/pg-call-record-reader.ts';
import { PgConsentStore } from '../store/postgres/pg-consent-store.ts';
import { PgConsoleAccounts } from '../store/postgres/pg-console-accounts.ts';
import { PgConsoleSessionStore } from '../store/postgres/pg-console-session-store.ts';
import { PgConsoleStats } from '../store/postgres/pg-console-stats.ts';
import { PgLedgerChainReader } from '../store/postgres/pg-ledger-chain-reader.ts';
import { consoleServiceDeps, type ConsoleServiceParts } from './console-wiring.ts';
import { pgLedgerSigningPaths } from './ledger-signing.ts';
import { checkpointInputAt } from './ledger-verify-input.ts';
import type { ServeStores } from './serve-stores.ts';

/**
 * The console's ports on PostgreSQL (src/console/README.md, "On PostgreSQL"): the node's pool and serve's
 * stores, the adapters the CLI's commands use on a postgres config. Users, sessions and the cookie key
 * are the tables every node shares, so a session signed in on one node is valid on the others. A
 * revocation is `consent revoke`'s on PostgreSQL: `revokeConsentAtomically` over the node's PgOutbox,
 * the `revoked` record and the cancelling in one transaction on one pooled connection.
 */
export function createPgConsoleWiring(opts: ConsoleServiceParts & {
  pool: pg.Pool;
  /** serve's stores on the same pool (pgServeStores): the outbox and businesses a revocation takes. */
  stores: Pick<ServeStores, 'outbox' | 'businesses' | 'messages' | 'staff'>;
  /** This node's name: whose signed checkpoints the consent page checks the chain against (pgLedgerSigningPaths). */
  nodeId: string;
}): ConsoleDeps {
  const { pool, stores, config, clock } = opts;
  const ledger = new PgConsentStore(pool, clock);
  const chain = new PgLedgerChainReader(pool);
  const callRecords = new PgCallRecordReader(pool);
  return {
    ...consoleServiceDeps(opts),
    accounts: new PgConsoleAccounts(pool),
    sessions: new PgConsoleSessionStore(pool, clock),
    calls: new PgCallHistory(pool),
    callRecords,
    otherNodeOf: async (id) => {
      const node = await callRecords.nodeOf(id);
      return node !== null && node !== opts.nodeId ? node : null;
    },
    ledger,
    revocation: { outbox: stores.outbox, businesses: stores.businesses },
    verifyLedger: async () => {
      // `consent verify`'s inputs on a postgres config: this node's checkpoint file and key.
      let input;
      try {
        input = checkpointInputAt(pgLedgerSigningPaths(config, opts.nodeId));
      } catch (e) {
        if (!isAppError(e)) throw e;
        input = { kind: 'none' as const, why: e.message };
      }
      return verifyLedgerAsync({ verify: () => ledger.verify(), hashesAt: (ids) => chain.hashesAt(ids) }, input);
    },
    messages: stores.messages,
    businesses: stores.businesses,
    staff: stores.staff,
    stats: new PgConsoleStats(pool),
  };
}

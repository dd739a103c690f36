import type pg from 'pg';
import type { Config } from '../config/config-schema.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { openPgPool } from '../store/postgres/pg-database.ts';
import { migratePg } from '../store/postgres/pg-migrate.ts';
import { listenForOutbox, type OutboxWakeup } from '../store/postgres/pg-outbox-wakeup.ts';
import { pgDatabaseTarget } from './pg-database-target.ts';
import { pgNodeId } from './pg-node-id.ts';
import { pgServeStores, type ServeStores } from './serve-stores.ts';

/** The session advisory lock that keeps two nodes from running under one nodeId (its key's first half; the second is the name's hash). */
const NODE_LOCK_CLASS = 0x434b4e44; // 'CKND'
/** A connection (or a wait for a free one) that takes longer fails: a database that accepts and never answers must not hang a call or a text forever. */
const CONNECT_TIMEOUT_MS = 30_000;

export interface PgServeDatabase {
  readonly stores: ServeStores;
  readonly pool: pg.Pool;
  readonly nodeId: string;
  /** `host:port/database`, safe to print. */
  readonly where: string;
  /** Calls `onWake` whenever any node or the CLI queues a text (LISTEN/NOTIFY, on a connection of its own). */
  listenForOutbox(onWake: () => void): OutboxWakeup;
  close(): Promise<void>;
}

/**
 * `serve` on PostgreSQL (database.kind: postgres): the pool, the migrations (Kysely's Migrator under its
 * lock, so nodes starting together migrate once), this node's name held by a session advisory lock (two
 * nodes under one nodeId would take over each other's outbox claims at start-up: refused), and the
 * stores. Connection errors are one line naming host and database, never the password.
 */
export async function openPgServeDatabase(cfg: Config['database'], deps: { clock: Clock; logger: Logger }): Promise<PgServeDatabase> {
  const target = pgDatabaseTarget(cfg);
  const nodeId = pgNodeId(cfg);
  const pool = openPgPool(
    { connectionString: target.connectionString },
    { max: cfg.poolMax, connectTimeoutMs: CONNECT_TIMEOUT_MS, onIdleError: (err) => deps.logger.warn({ err: target.scrub(err.message) }, 'PostgreSQL connection lost; the pool reconnects') },
  );
  let nodeLock: pg.PoolClient | undefined;
  try {
    nodeLock = await pool.connect();
    const held = await nodeLock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [NODE_LOCK_CLASS, nodeId]);
    if (held.rows[0]?.ok !== true) {
      throw new AppError('CONFIG.INVALID', `database.nodeId: another node is running as "${nodeId}" on ${target.where}; give each node its own nodeId`);
    }
    const applied = await migratePg(pool);
    if (applied.length > 0) deps.logger.info({ migrations: applied, database: target.where }, 'PostgreSQL database migrated');
  } catch (e) {
    nodeLock?.release(true);
    await pool.end().catch(() => undefined);
    if (isAppError(e)) throw e;
    throw new AppError('STORE.UNREACHABLE', `cannot open PostgreSQL at ${target.where}: ${target.scrub((e as Error).message)}`);
  }
  const lock = nodeLock;
  deps.logger.info({ database: target.where, nodeId }, 'using PostgreSQL');
  return {
    stores: pgServeStores(pool, { clock: deps.clock, nodeId, leaseMs: cfg.leaseMs }),
    pool,
    nodeId,
    where: target.where,
    listenForOutbox: (onWake) =>
      listenForOutbox(target.connectionString, onWake, (err) => deps.logger.warn({ err: target.scrub(err.message) }, 'outbox wake-ups lost; polling until they are back')),
    close: async () => {
      // Ending the session releases the node's name.
      lock.release(true);
      await pool.end();
    },
  };
}

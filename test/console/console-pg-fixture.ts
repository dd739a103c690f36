/**
 * The console on PostgreSQL, on two nodes sharing one database (src/compose/pg-console-wiring.ts): the
 * SQLite console fixture's install (console-fixture.ts: a business, staff, two calls with their
 * recordings, consent answers and queued texts, an inbound reply, an admin and a viewer) copied into a
 * fresh database of the file's throwaway cluster with `db copy`'s copySqliteToPg, then per node a pool,
 * serve's PostgreSQL stores under its own node id, the console wiring and an admin server, as
 * `serve` mounts them (src/main.ts).
 */
import { join } from 'node:path';
import type pg from 'pg';
import { createPgConsoleWiring } from '../../src/compose/pg-console-wiring.ts';
import { pgServeStores } from '../../src/compose/serve-stores.ts';
import { loadConfig } from '../../src/config/config-loader.ts';
import { consolePlugin } from '../../src/console/console-plugin.ts';
import type { ConsoleDeps } from '../../src/console/console-deps.ts';
import { optInPlugin } from '../../src/console/opt-in-routes.ts';
import { AdminHttpServer } from '../../src/http/admin-http-server.ts';
import { PromMetrics } from '../../src/http/prom-metrics.ts';
import { copySqliteToPg } from '../../src/store/postgres/pg-copy-from-sqlite.ts';
import { openPgPool } from '../../src/store/postgres/pg-database.ts';
import type { PgTestCluster } from '../store/postgres/pg-test-db.ts';
import { startConsoleFixture, type ConsoleFixture } from './console-fixture.ts';

/** After the fixture's calls (console-fixture.ts starts them at 2026-12-01 15:00 UTC, an hour apart). */
const NOW = Date.UTC(2026, 11, 1, 18, 0, 0);

export interface PgConsoleNode {
  readonly nodeId: string;
  readonly server: AdminHttpServer;
  readonly deps: ConsoleDeps;
  /** `http://127.0.0.1:PORT` when listening, else ''. */
  readonly base: string;
}

export interface PgConsoleFixture {
  /** The SQLite install the database was copied from: its recordings directory, call ids, answer audio. */
  readonly source: ConsoleFixture;
  readonly nodes: readonly PgConsoleNode[];
  /** A pool of the test's own on the shared database, to read what the nodes wrote. */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export async function startPgConsoleFixture(pgc: PgTestCluster, opts: { nodes?: number; listen?: boolean } = {}): Promise<PgConsoleFixture> {
  const source = await startConsoleFixture({ listen: false });
  const pools: pg.Pool[] = [];
  const servers: AdminHttpServer[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(pools.map((p) => p.end()));
    await source.close();
  };
  try {
    const conn = await pgc.cluster.createDatabase(undefined, 'template0');
    const pool = openPgPool(conn, { max: 2 });
    pools.push(pool);
    await copySqliteToPg(source.db, pool, 'the console fixture database');
    const config = loadConfig({ file: '/dev/null', env: { CALLKEEPER_DATABASE__PATH: join(source.dir, 'ck.db'), CALLKEEPER_RECORDINGS__DIR: source.dir } }).config;
    const clock = { now: () => NOW, setTimer: () => () => undefined };
    const nodes: PgConsoleNode[] = [];
    for (let i = 0; i < (opts.nodes ?? 2); i++) {
      const nodeId = `node-${String.fromCharCode(97 + i)}`;
      const nodePool = openPgPool(conn, { max: 4 });
      pools.push(nodePool);
      const stores = pgServeStores(nodePool, { clock, nodeId });
      const deps = createPgConsoleWiring({ config, clock, pool: nodePool, stores, nodeId, engineName: 'asterisk', readiness: () => ({ store: true, ari: true, smpp: false }) });
      const server = new AdminHttpServer(
        { host: '127.0.0.1', port: 0, token: undefined, trustProxy: false },
        {
          readiness: () => ({ store: true }),
          metrics: new PromMetrics({ processMetrics: false }).registry,
          plugins: [consolePlugin(deps, { secureCookies: false }), optInPlugin({ businesses: stores.businesses, settings: deps.programSettings })],
        },
      );
      servers.push(server);
      let base = '';
      if (opts.listen === true) base = `http://127.0.0.1:${(await server.listen()).port}`;
      else await server.app.ready();
      nodes.push({ nodeId, server, deps, base });
    }
    return { source, nodes, pool, close };
  } catch (e) {
    await close();
    throw e;
  }
}

import { hostname } from 'node:os';
import type { Config } from '../config/config-schema.ts';

/**
 * This node's name on PostgreSQL: `database.nodeId`, else the host name (made safe for the name's
 * pattern). It names the node's outbox claims and its ledger key and checkpoint files, so `serve` and
 * the CLI on the same host must agree on it.
 */
export function pgNodeId(database: Pick<Config['database'], 'nodeId'>): string {
  if (database.nodeId !== undefined) return database.nodeId;
  const h = hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return h === '' ? 'node' : h;
}

import type { PgQueryable } from './pg-database.ts';

/** The advisory-lock class of a (business, consumer) pair's writes to the SMSC ('CKPW'); the key's second half is the pair's hash. */
const PAIR_WRITE_LOCK_CLASS = 0x434b5057;

/**
 * A STOP against the texts being written to the SMSC at that moment, on every node. A node holds the
 * pair's lock SHARED from its last consent check before a PDU until the PDU is on the socket
 * (PgOutbox.holdForWrite); a `revoked` append takes it EXCLUSIVE in its transaction, before the ledger's
 * lock. So a write either went out before the STOP's transaction could commit, or its check runs after
 * the commit and sees the STOP: nothing reaches the SMSC after a STOP commits, from any node
 * (src/store/postgres/README.md, "The outbox"). Transaction-scoped: a crashed holder releases it.
 */
export async function lockPairForStop(c: PgQueryable, businessId: number, consumer: string): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PAIR_WRITE_LOCK_CLASS, `${businessId}:${consumer}`]);
}

/** The shared side of `lockPairForStop`: held by a write to the SMSC from its check to the socket. */
export async function lockPairForWrite(c: PgQueryable, businessId: number, consumer: string): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [PAIR_WRITE_LOCK_CLASS, `${businessId}:${consumer}`]);
}

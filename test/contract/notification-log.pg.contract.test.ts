/** The NotificationLog contract over PostgreSQL (src/store/postgres/pg-notification-log.ts), a fresh database per test with a business, two staff and a call. */
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import type { DeliverySettlement, DeliveryState } from '../../src/domain/ports/notification-log.ts';
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { PgNotificationLog } from '../../src/store/postgres/pg-notification-log.ts';
import { PgStaffStore } from '../../src/store/postgres/pg-staff-store.ts';
import { runNotificationLogContract, type DeliveryView } from './notification-log-contract.ts';
import { usePgCluster } from './pg-contract-db.ts';

const freshDb = usePgCluster();
const FINAL: ReadonlySet<string> = new Set(['delivered', 'failed', 'rate-limited', 'skipped']);

interface Row {
  notification_key: string; kind: DeliveryView['kind']; business_id: number; call_id: number | null; channel: DeliveryView['channel'];
  staff_id: number | null; address: string; urgent: boolean; state: DeliveryState; last_error: string | null; ref: string | null;
  created_at: number; updated_at: number; latency_ms: number | null;
}

runNotificationLogContract('PostgreSQL', async () => {
  const db = await freshDb(1);
  const businessId = db.businessIds[0]!;
  const staff = new PgStaffStore(db.pool);
  const a = await staff.add(validateNewStaff({ businessId, name: 'Dana', mobile: '+15125550142' }));
  const b = await staff.add(validateNewStaff({ businessId, name: 'Eli', mobile: '+15125550143' }));
  const callId = await new PgCallLog(db.pool).open({
    engine: 'asterisk', channelId: 'c1', businessId, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: 0,
  });
  const log = new PgNotificationLog(db.pool);
  return {
    log,
    businessId,
    staffIds: [a.id, b.id],
    callId,
    read: async (id): Promise<DeliveryView | undefined> => {
      const r = (await db.pool.query<Row>('SELECT * FROM notification_deliveries WHERE id = $1', [id])).rows[0];
      if (r === undefined) return undefined;
      const settlement: DeliverySettlement | null = FINAL.has(r.state)
        ? { state: r.state as DeliverySettlement['state'], at: r.updated_at, lastError: r.last_error, latencyMs: r.latency_ms, ref: r.ref }
        : null;
      return {
        notificationKey: r.notification_key, kind: r.kind, businessId: r.business_id, callId: r.call_id, channel: r.channel, staffId: r.staff_id,
        address: r.address, urgent: r.urgent, createdAt: r.created_at, state: r.state, attempts: await log.attemptsOf(id), settlement,
      };
    },
    close: db.close,
  };
});

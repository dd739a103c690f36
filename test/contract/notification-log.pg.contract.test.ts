/** The NotificationLog contract over PostgreSQL (src/store/postgres/pg-notification-log.ts), a fresh database per test with a business, two staff and a call. */
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { PgNotificationLog } from '../../src/store/postgres/pg-notification-log.ts';
import { PgStaffStore } from '../../src/store/postgres/pg-staff-store.ts';
import { runNotificationLogContract, viewOfRow, type DeliveryRow, type DeliveryView } from './notification-log-contract.ts';
import { usePgCluster } from './pg-contract-db.ts';

const freshDb = usePgCluster();

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
      const r = (await db.pool.query<DeliveryRow<boolean>>('SELECT * FROM notification_deliveries WHERE id = $1', [id])).rows[0];
      return r && viewOfRow(r, r.urgent, await log.attemptsOf(id));
    },
    close: db.close,
  };
});

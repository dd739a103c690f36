import type { DeliveryState } from '../../src/domain/ports/notification-log.ts';
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteNotificationLog } from '../../src/store/sqlite-notification-log.ts';
import { SqliteStaffStore } from '../../src/store/sqlite-staff-store.ts';
import { MemoryNotificationLog } from '../app/notify/notify-fakes.ts';
import { runNotificationLogContract, viewOfRow, type DeliveryRow, type DeliveryView } from './notification-log-contract.ts';
import { contractDb } from './sqlite-contract-db.ts';

runNotificationLogContract('notify fake', () => {
  const log = new MemoryNotificationLog();
  return {
    log,
    businessId: 1,
    staffIds: [1, 2],
    callId: 1,
    read: (id): DeliveryView | undefined => {
      const r = log.rows.find((x) => x.id === id);
      if (r === undefined) return undefined;
      const { id: _id, state, attempts, settlement, ...delivery } = r;
      return { ...delivery, state: state as DeliveryState, attempts, settlement: settlement ?? null };
    },
  };
});

runNotificationLogContract('SQLite on a temp file', () => {
  const c = contractDb('notify', 1);
  const businessId = c.businessIds[0]!;
  const staff = new SqliteStaffStore(c.db);
  const a = staff.add(validateNewStaff({ businessId, name: 'Dana', mobile: '+15125550142' }));
  const b = staff.add(validateNewStaff({ businessId, name: 'Eli', mobile: '+15125550143' }));
  const callId = new SqliteCallLog(c.db).open({
    engine: 'asterisk', channelId: 'c1', businessId, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: 0,
  });
  const log = new SqliteNotificationLog(c.db);
  const select = c.db.prepare('SELECT * FROM notification_deliveries WHERE id = ?');
  return {
    log,
    businessId,
    staffIds: [a.id, b.id],
    callId,
    read: (id): DeliveryView | undefined => {
      const r = select.get(id) as DeliveryRow<number> | undefined;
      return r && viewOfRow(r, r.urgent === 1, log.attemptsOf(id));
    },
    close: c.close,
  };
});

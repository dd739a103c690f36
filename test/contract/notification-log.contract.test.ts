import type { DeliverySettlement, DeliveryState } from '../../src/domain/ports/notification-log.ts';
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteNotificationLog } from '../../src/store/sqlite-notification-log.ts';
import { SqliteStaffStore } from '../../src/store/sqlite-staff-store.ts';
import { MemoryNotificationLog } from '../app/notify/notify-fakes.ts';
import type { DeliveryView } from './notification-log-contract.ts';
import { runNotificationLogContract } from './notification-log-contract.ts';
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

const FINAL: ReadonlySet<string> = new Set(['delivered', 'failed', 'rate-limited', 'skipped']);

interface Row {
  notification_key: string; kind: DeliveryView['kind']; business_id: number; call_id: number | null; channel: DeliveryView['channel'];
  staff_id: number | null; address: string; urgent: number; state: DeliveryState; last_error: string | null; ref: string | null;
  created_at: number; updated_at: number; latency_ms: number | null;
}

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
      const r = select.get(id) as Row | undefined;
      if (r === undefined) return undefined;
      const settlement: DeliverySettlement | null = FINAL.has(r.state)
        ? { state: r.state as DeliverySettlement['state'], at: r.updated_at, lastError: r.last_error, latencyMs: r.latency_ms, ref: r.ref }
        : null;
      return {
        notificationKey: r.notification_key, kind: r.kind, businessId: r.business_id, callId: r.call_id, channel: r.channel, staffId: r.staff_id,
        address: r.address, urgent: r.urgent === 1, createdAt: r.created_at, state: r.state, attempts: log.attemptsOf(id), settlement,
      };
    },
    close: c.close,
  };
});

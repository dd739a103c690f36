/** The NotificationLog contract over PostgreSQL (src/store/postgres/pg-notification-log.ts), a fresh database per test with a business, two staff and a call. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { openPgPool } from '../../src/store/postgres/pg-database.ts';
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

test('PostgreSQL, two nodes: the same person\'s staff texts judged at once on two pools never pass the limit together', async () => {
  const db = await freshDb(1);
  const { host, port, user, database } = db.pool.options;
  const nodeB = openPgPool({ host: host!, port, user: user!, database: database! }, { max: 8 });
  try {
    const businessId = db.businessIds[0]!;
    const staff = new PgStaffStore(db.pool);
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await staff.add(validateNewStaff({ businessId, name: `Tech ${i}`, mobile: `+1512555014${i}` })));
    const logs = [new PgNotificationLog(db.pool), new PgNotificationLog(nodeB)];
    const LIMIT = 5;
    const decide = (sent: number) => (sent < LIMIT ? ({ allow: true } as const) : ({ allow: false, reason: `rate limit: ${sent}` } as const));
    const delivery = (staffId: number, i: number) => ({
      notificationKey: `call-${i}`, kind: 'call' as const, businessId, callId: null, channel: 'sms' as const, staffId,
      address: '+15125550142', urgent: false, createdAt: 1_000 + i,
    });
    // A storm: 24 calls for each of 4 people at once, alternating between the two nodes' pools (their own connections).
    await Promise.all(people.flatMap((p) => Array.from({ length: 24 }, (_, i) => logs[i % 2]!.openStaffSms(delivery(p.id, i), 0, decide))));
    const opened = await db.pool.query<{ staff_id: number; n: number }>(
      "SELECT staff_id, count(*)::int AS n FROM notification_deliveries WHERE channel = 'sms' GROUP BY staff_id ORDER BY staff_id",
    );
    assert.deepEqual(opened.rows, people.map((p) => ({ staff_id: p.id, n: LIMIT })), 'each person gets exactly the limit, from both nodes together');
  } finally {
    await nodeB.end();
    await db.close();
  }
});

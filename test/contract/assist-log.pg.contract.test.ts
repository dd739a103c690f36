/** The AssistLog contract over PostgreSQL (src/store/postgres/pg-assist-log.ts), a fresh database per test with a business, a call and an inbound text. */
import type { AssistRecord } from '../../src/domain/ports/assist-log.ts';
import { PgAssistLog } from '../../src/store/postgres/pg-assist-log.ts';
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { PgMessageLog } from '../../src/store/postgres/pg-message-log.ts';
import { recordOfRow, runAssistLogContract, type AssistRow } from './assist-log-contract.ts';
import { usePgCluster } from './pg-contract-db.ts';

const freshDb = usePgCluster();

runAssistLogContract('PostgreSQL', async () => {
  const db = await freshDb(1);
  const businessId = db.businessIds[0]!;
  const callId = await new PgCallLog(db.pool).open({
    engine: 'asterisk', channelId: 'c1', businessId, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: 0,
  });
  const inboundId = await new PgMessageLog(db.pool).saveInbound({
    businessId, recipient: '+15125559000', sender: '+15125550123', body: 'is 3pm ok?', keyword: null, callId, receivedAt: 1,
  });
  return {
    log: new PgAssistLog(db.pool),
    businessId,
    callId,
    inboundId,
    read: async (id): Promise<AssistRecord | undefined> => {
      const r = (await db.pool.query<AssistRow>('SELECT * FROM assist_results WHERE id = $1', [id])).rows[0];
      return r && recordOfRow(r);
    },
    close: db.close,
  };
});

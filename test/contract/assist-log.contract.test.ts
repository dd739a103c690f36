import type { AssistRecord } from '../../src/domain/ports/assist-log.ts';
import { SqliteAssistLog } from '../../src/store/sqlite-assist-log.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteMessageLog } from '../../src/store/sqlite-message-log.ts';
import { InMemoryAssistLog } from '../fakes/in-memory-assist-log.ts';
import { InMemoryCallLog } from '../fakes/in-memory-call-log.ts';
import { InMemoryConsentStore } from '../fakes/in-memory-consent-store.ts';
import { InMemoryMessageLog } from '../fakes/in-memory-message-log.ts';
import { InMemoryOutbox } from '../fakes/in-memory-outbox.ts';
import { recordOfRow, runAssistLogContract, type AssistRow } from './assist-log-contract.ts';
import { contractDb } from './sqlite-contract-db.ts';

runAssistLogContract('SQLite on a temp file', () => {
  const c = contractDb('assist', 1);
  const businessId = c.businessIds[0]!;
  const callId = new SqliteCallLog(c.db).open({
    engine: 'asterisk', channelId: 'c1', businessId, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: 0,
  });
  const inboundId = new SqliteMessageLog(c.db).saveInbound({
    businessId, recipient: '+15125559000', sender: '+15125550123', body: 'is 3pm ok?', keyword: null, callId, receivedAt: 1,
  });
  const select = c.db.prepare('SELECT * FROM assist_results WHERE id = ?');
  return {
    log: new SqliteAssistLog(c.db),
    businessId,
    callId,
    inboundId,
    read: (id): AssistRecord | undefined => {
      const r = select.get(id) as AssistRow | undefined;
      return r && recordOfRow(r);
    },
    close: c.close,
  };
});

runAssistLogContract('in-memory fake', () => {
  const businessId = 1;
  const calls = new InMemoryCallLog();
  const callId = calls.open({
    engine: 'asterisk', channelId: 'c1', businessId, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: 0,
  });
  const inboundId = new InMemoryMessageLog({ calls, outbox: new InMemoryOutbox(), consent: new InMemoryConsentStore() }).saveInbound({
    businessId, recipient: '+15125559000', sender: '+15125550123', body: 'is 3pm ok?', keyword: null, callId, receivedAt: 1,
  });
  const log = new InMemoryAssistLog();
  return { log, businessId, callId, inboundId, read: (id) => log.read(id) };
});

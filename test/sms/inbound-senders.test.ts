import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { InboundMessageHandler, type InboundOutcome } from '../../src/app/messaging/inbound-message-handler.ts';
import type { DeliveryReceipt } from '../../src/domain/ports/sms-gateway.ts';
import { createLogger } from '../../src/log/pino-logger-factory.ts';
import { withTimeout } from '../support/wait-for.ts';
import { openMessagingDb, type MessagingDb } from './fixtures/messaging-db.ts';
import { smppPair } from './fixtures/smpp-pair.ts';

/**
 * Who sent a deliver_sm decides whose consent a STOP revokes. Over the real SMPP stack (the
 * `smpp` package's server on port 0, our gateway, the inbound use case, SQLite): every way an SMSC
 * writes one number files under that number, and a sender that is not a number files under nobody.
 */
const CONSUMER = '+15125490016';
const BIZ = '15125550100';

type Pair = Awaited<ReturnType<typeof smppPair>>;

async function setup(t: import('node:test').TestContext) {
  const m = openMessagingDb();
  const p = await smppPair();
  const out: string[] = [];
  const logger = createLogger(
    { level: 'info' },
    {
      destination: new Writable({
        write(chunk, _enc, cb) {
          out.push(String(chunk));
          cb();
        },
      }),
    },
  );
  const outcomes: InboundOutcome[] = [];
  const inbound = new InboundMessageHandler(
    {},
    { outbox: m.stores.outbox, businesses: m.stores.businesses, clock: m.clock, logger, metrics: { inboundText: (o) => outcomes.push(o) } },
  );
  p.gw.onInbound(async (sms) => {
    await inbound.handle(sms);
  });
  t.after(async () => {
    await p.close();
    m.close();
  });
  return { m, p, outcomes, log: () => out.join('') };
}

const count = (m: MessagingDb, table: string): number => m.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const ledgerConsumers = (m: MessagingDb): string[] => m.db.prepare('SELECT DISTINCT consumer FROM consent_ledger ORDER BY consumer').pluck().all() as string[];
const repliesTo = (m: MessagingDb): string[] => m.db.prepare("SELECT recipient FROM outbound_messages WHERE kind = 'keyword-reply' ORDER BY id").pluck().all() as string[];

function deliver(p: Pair, from: string, fromTon: number, fromNpi: number, text: string, esmClass = 0): Promise<number> {
  return withTimeout(p.sim.deliver({ from, fromTon, fromNpi, to: BIZ, text, esmClass }), 10_000, `the deliver_sm_resp for ${JSON.stringify(from)}`);
}

describe('inbound senders are read with their TON/NPI (real SMPP stack)', () => {
  for (const [from, ton, npi] of [
    ['0015125490016', 0, 1],
    ['0015125490016', 1, 1],
    ['01115125490016', 0, 0],
    ['15125490016', 0, 1],
    ['5125490016', 2, 8],
    ['+15125490016', 1, 1],
  ] as const) {
    test(`STOP from ${from} (TON ${ton}, NPI ${npi}) revokes ${CONSUMER} and answers that number`, async (t) => {
      const { m, p } = await setup(t);
      m.grant(CONSUMER);
      assert.equal(await deliver(p, from, ton, npi, 'STOP'), 0);
      assert.equal(m.consent.current(m.businessId, CONSUMER), 'revoked');
      assert.deepEqual(ledgerConsumers(m), [CONSUMER], 'no ledger row under another number');
      assert.deepEqual(repliesTo(m), [CONSUMER], 'the confirmation goes to the number that was revoked');
      assert.deepEqual(m.messages.optOuts({}).map((o) => o.consumer), [CONSUMER]);
    });
  }

  test('senders that are not phone numbers: no ledger row, no reply, no stored text; counted and logged redacted', async (t) => {
    const { m, p, outcomes, log } = await setup(t);
    const junk: Array<[string, number, number]> = [
      ['', 1, 1],
      ['ACME', 5, 0],
      ['Info', 0, 0],
      ['11111111111', 1, 1],
      ['123', 0, 1],
      ['310150123456789', 1, 6],
    ];
    for (const [from, ton, npi] of junk) {
      // Acknowledged (ESME_ROK): the SMSC must not redeliver it forever.
      assert.equal(await deliver(p, from, ton, npi, 'STOP'), 0, from);
    }
    assert.equal(count(m, 'consent_ledger'), 0);
    assert.equal(count(m, 'outbound_messages'), 0);
    assert.equal(count(m, 'inbound_messages'), 0);
    assert.deepEqual(outcomes, junk.map(() => 'ignored-sender'));
    const lines = log()
      .split('\n')
      .filter((l) => l.includes('not a phone number'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, junk.length);
    for (const l of lines) assert.equal(l.sourceAddr, '[redacted]');
    for (const [from] of junk) if (from.length > 3) assert.ok(!log().includes(from), `${from} never appears in the log`);
  });

  test('a deliver_sm flagged as a receipt that does not read as one is handled as a text (a STOP counts)', async (t) => {
    const { m, p } = await setup(t);
    const receipts: DeliveryReceipt[] = [];
    p.gw.onReceipt((r) => {
      receipts.push(r);
    });
    m.grant(CONSUMER);
    assert.equal(await deliver(p, '15125490016', 1, 1, 'STOP', 0x04), 0);
    assert.equal(m.consent.current(m.businessId, CONSUMER), 'revoked');
    assert.deepEqual(receipts, []);
    // A real receipt with the same flag still goes to the receipt handler, not to the inbox.
    assert.equal(await deliver(p, '15125490016', 1, 1, 'id:1A2B sub:001 dlvrd:001 submit date:2601010000 done date:2601010000 stat:DELIVRD err:000 text:', 0x04), 0);
    assert.equal(receipts.length, 1);
    assert.equal(count(m, 'inbound_messages'), 1);
  });
});

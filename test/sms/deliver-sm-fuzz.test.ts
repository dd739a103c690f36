import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundMessageHandler, type InboundOutcome } from '../../src/app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from '../../src/app/messaging/outbox-dispatcher.ts';
import { withTimeout } from '../support/wait-for.ts';
import { openMessagingDb } from './fixtures/messaging-db.ts';
import { smppPair } from './fixtures/smpp-pair.ts';
import { seededRandom } from '../support/seeded-random.ts';

/**
 * Fuzz of inbound deliver_sm through the real SMPP stack: the `smpp` package's server on
 * port 0 sends seeded random PDUs (TON/NPI combinations, data codings 0/1/3/4/8 and odd ones, empty
 * texts, oversized PDUs, UDH concatenation parts, receipt-flagged garbage, real receipts, junk senders)
 * to our gateway, the inbound use case, SQLite and a running dispatcher. What must hold whatever comes:
 * every PDU is answered (ESME_ROK, or ESME_RINVMSGLEN when over 16 KiB) on the first bind; a junk sender
 * gets no ledger row, no stored text and no reply; every valid unit of text is handled exactly once; and
 * at the end a STOP over the same bind still revokes and is confirmed.
 *
 * Bounded: COUNT PDUs, each answer awaited at most 10 s, the whole test at most 120 s. Reproduce a
 * failure with its seed: FUZZ_SEED=<seed> node scripts/run-tests.mjs test/sms/deliver-sm-fuzz.test.ts
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const COUNT = 300;
const LIMIT = 16 * 1024;
const BIZ = '15125550100';
/** The valid consumers: every valid-sender PDU comes from one of these, written in one of many ways. */
const POOL = ['+15125490010', '+15125490011', '+15125490012', '+15125490013', '+15125490014'];


type Sender = { addr: string; ton: number; npi: number; junk: boolean };

function makeGen(rand: () => number) {
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const digitsOf = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('');

  function validSender(): Sender {
    const e164 = pick(POOL);
    const d = e164.slice(1);
    const npi = pick([0, 1, 8, 9]);
    const [addr, ton] = pick<[string, number]>([
      [e164, 1],
      [d, 1],
      [`00${d}`, 1],
      [`00${d}`, 0],
      [`011${d}`, 0],
      [e164, 0],
      [d, 0],
      [d.slice(1), 0],
      [d.slice(1), 2],
      [d, 2],
      [`${d.slice(0, 1)}-${d.slice(1, 4)}-${d.slice(4, 7)}-${d.slice(7)}`, 0],
    ]);
    return { addr, ton, npi, junk: false };
  }

  function junkSender(): Sender {
    const anyTon = pick([0, 1, 2, 3, 4, 6]);
    const [addr, ton, npi] = pick<[string, number, number]>([
      ['', anyTon, pick([0, 1])],
      [pick(['ACME', 'Info', 'VERIFY', 'Bank-Alerts', 'T-Mobile']), pick([5, 0]), pick([0, 1])],
      [pick(POOL).slice(1), 5, 0], // digits, but TON 5 says they are a name
      [pick(POOL).slice(1), pick([0, 1]), pick([3, 4, 6, 14, 18])], // a telephone-looking address in a non-telephone plan
      ['1'.repeat(int(5, 15)), pick([0, 1, 2]), 1],
      [digitsOf(int(1, 5)), anyTon, 1], // too short for any number
      [`${digitsOf(int(0, 4))}${pick(['a', 'X', '#', '*', '@', '?'])}${digitsOf(int(0, 8))}`, pick([0, 1]), 0],
    ]);
    return { addr, ton, npi, junk: true };
  }

  /** A body and its data_coding: text in the coding it claims, or bytes that are not. */
  function body(): { bytes: Buffer; dataCoding: number } {
    const text = pick(['STOP', 'stop', 'Stop please', 'HELP', 'START', 'yes', 'Tuesday at 3 works', '', 'Qué tal 😀', 'ÄÖÜ €']);
    switch (pick(['gsm', 'ia5', 'latin1', 'ucs2', 'ucs2-odd', 'binary', 'odd-coding'] as const)) {
      case 'gsm':
        return { bytes: Buffer.from(text.replace(/[^\x20-\x7e]/g, '?'), 'latin1'), dataCoding: 0 };
      case 'ia5':
        return { bytes: Buffer.from(text.replace(/[^\x20-\x7e]/g, '?'), 'latin1'), dataCoding: 1 };
      case 'latin1':
        return { bytes: Buffer.from(text, 'latin1'), dataCoding: 3 };
      case 'ucs2':
        return { bytes: Buffer.from(text, 'utf16le').swap16(), dataCoding: 8 };
      case 'ucs2-odd': {
        const b = Buffer.from(`${text}x`, 'utf16le').swap16();
        return { bytes: b.subarray(0, b.length - 1), dataCoding: 8 };
      }
      case 'binary':
        return { bytes: Buffer.from(Array.from({ length: int(0, 140) }, () => int(0, 255))), dataCoding: 4 };
      case 'odd-coding':
        return { bytes: Buffer.from(Array.from({ length: int(0, 60) }, () => int(0, 255))), dataCoding: pick([2, 5, 6, 7, 9, 0x0e, 0xf0, 0xf5, 0xff]) };
    }
  }

  /** Receipt-flagged text that cannot be read as a receipt (no `id:`/`stat:`: no colon at all). */
  const garbage = (): Buffer => Buffer.from(pick(['garbage', 'STOP', 'dlvrd 001', 'x'.repeat(int(0, 100)), digitsOf(int(0, 30))]), 'latin1');

  return { int, pick, validSender, junkSender, body, garbage };
}

/** One step of the fuzz: PDUs to send in order, the answers expected, and how many text units they make. */
interface Step {
  readonly kind: string;
  readonly pdus: Array<Record<string, unknown>>;
  readonly status: number;
  /** Whole texts the app must see from this step (0 for receipts and oversized PDUs). */
  readonly units: number;
  readonly junk: boolean;
}

function addr(s: Sender) {
  return { source_addr_ton: s.ton, source_addr_npi: s.npi, source_addr: s.addr, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: BIZ };
}

function makeStep(g: ReturnType<typeof makeGen>, nextRef: () => number): Step {
  const sender = g.int(0, 2) === 0 ? g.junkSender() : g.validSender();
  const base = addr(sender);
  const junk = sender.junk;
  switch (g.pick(['text', 'text', 'payload', 'empty', 'concat', 'void-part', 'receipt-garbage', 'receipt', 'oversized'] as const)) {
    case 'text': {
      const b = g.body();
      return { kind: 'text', pdus: [{ ...base, data_coding: b.dataCoding, short_message: b.bytes.subarray(0, 254) }], status: 0, units: 1, junk };
    }
    case 'payload': {
      const b = g.body();
      return { kind: 'payload', pdus: [{ ...base, data_coding: b.dataCoding, short_message: Buffer.alloc(0), message_payload: b.bytes }], status: 0, units: 1, junk };
    }
    case 'empty':
      return { kind: 'empty', pdus: [{ ...base, data_coding: g.pick([0, 8]), short_message: Buffer.alloc(0) }], status: 0, units: 1, junk };
    case 'concat': {
      // UDH IE 0x00 (8-bit reference) or 0x08 (16-bit), parts sent in a shuffled order.
      const total = g.int(2, 4);
      const ref = nextRef();
      const wide = g.int(0, 1) === 1;
      const coding = g.pick([0, 8]);
      const parts = Array.from({ length: total }, (_, i) => {
        // UDHL, then the IE: 0x00 len 3 (ref, total, seq) or 0x08 len 4 (ref16, total, seq).
        const udh = wide ? Buffer.from([6, 0x08, 4, (ref >> 8) & 0xff, ref & 0xff, total, i + 1]) : Buffer.from([5, 0x00, 3, ref & 0xff, total, i + 1]);
        const text = coding === 8 ? Buffer.from(`part ${i + 1} ü`, 'utf16le').swap16() : Buffer.from(`part ${i + 1} `, 'latin1');
        return { ...base, esm_class: 0x40, data_coding: coding, short_message: Buffer.concat([udh, text]) };
      });
      for (let i = parts.length - 1; i > 0; i--) {
        const j = g.int(0, i);
        [parts[i], parts[j]] = [parts[j]!, parts[i]!];
      }
      return { kind: 'concat', pdus: parts, status: 0, units: 1, junk };
    }
    case 'void-part': {
      // Sequence 0 or above the total: 3GPP TS 23.040 voids the element, the part is a whole text.
      const total = g.int(2, 4);
      const seq = g.pick([0, total + 1, 255]);
      const udh = Buffer.from([5, 0x00, 3, nextRef() & 0xff, total, seq]);
      return { kind: 'void-part', pdus: [{ ...base, esm_class: 0x40, data_coding: 0, short_message: Buffer.concat([udh, Buffer.from('lost part', 'latin1')]) }], status: 0, units: 1, junk };
    }
    case 'receipt-garbage':
      return { kind: 'receipt-garbage', pdus: [{ ...base, esm_class: g.pick([0x04, 0x08, 0x20]), data_coding: 0, short_message: g.garbage() }], status: 0, units: 1, junk };
    case 'receipt':
      return {
        kind: 'receipt',
        pdus: [{ ...base, esm_class: 0x04, data_coding: 0, short_message: Buffer.alloc(0), receipted_message_id: `R${g.int(1, 99999)}`, message_state: g.int(1, 8) }],
        status: 0,
        units: 0,
        junk,
      };
    case 'oversized':
      return {
        kind: 'oversized',
        pdus: [{ ...base, data_coding: 0, short_message: Buffer.alloc(0), message_payload: Buffer.alloc(g.int(LIMIT, 40_000), 'S') }],
        status: 0x01,
        units: 0,
        junk,
      };
  }
}

test(`deliver_sm fuzz through the real SMPP stack (seed ${SEED}, ${COUNT} steps)`, { timeout: 120_000 }, async (t) => {
  const m = openMessagingDb();
  const p = await smppPair();
  const dispatcher = new OutboxDispatcher({ window: 10, retryBaseMs: 10, retryMaxMs: 50, pollMs: 20 }, { outbox: m.stores.outbox, rules: m.rules, gateway: p.gw, clock: m.clock });
  const outcomes: InboundOutcome[] = [];
  const inbound = new InboundMessageHandler(
    {},
    {
      outbox: m.stores.outbox,
      businesses: m.stores.businesses,
      clock: m.clock,
      onEnqueued: () => dispatcher.kick(),
      metrics: { inboundText: (o) => outcomes.push(o) },
    },
  );
  // The dispatcher takes the gateway's receipts (a receipt is checked by making no text unit below).
  p.gw.onInbound(async (sms) => {
    await inbound.handle(sms);
  });
  t.after(async () => {
    await dispatcher.stop();
    await p.close();
    m.close();
  });
  dispatcher.start();

  const g = makeGen(seededRandom(SEED));
  let ref = 0;
  const seen = { validUnits: 0, junkUnits: 0, receipts: 0 };
  const kinds: Record<string, number> = {};
  for (let i = 0; i < COUNT; i++) {
    const step = makeStep(g, () => ++ref);
    kinds[step.kind] = (kinds[step.kind] ?? 0) + 1;
    for (const pdu of step.pdus) {
      const status = await withTimeout(p.sim.sendPdu('deliver_sm', pdu), 10_000, `the answer to step ${i} (${step.kind}), seed ${SEED}`);
      assert.equal(status, step.status, `step ${i} (${step.kind}, sender ${JSON.stringify(pdu.source_addr)}), seed ${SEED}`);
    }
    if (step.kind === 'receipt') seen.receipts++;
    else if (step.junk) seen.junkUnits += step.units;
    else seen.validUnits += step.units;
  }
  t.diagnostic(`seed ${SEED}: ${JSON.stringify(kinds)} ${JSON.stringify(seen)}`);

  // The link was never dropped and every text was handled once: valid ones stored, junk ones only counted.
  assert.equal(p.sim.binds.length, 1, `one bind all along, seed ${SEED}`);
  assert.equal(p.gw.status(), 'up');
  assert.equal(outcomes.filter((o) => o === 'ignored-sender').length, seen.junkUnits, `junk units, seed ${SEED}`);
  assert.equal(outcomes.filter((o) => o !== 'ignored-sender').length, seen.validUnits, `valid units, seed ${SEED}`);
  const count = (sql: string): number => m.db.prepare(sql).pluck().get() as number;
  // A valid text equal to the one its sender sent just before (the pool of bodies is small) reads as the
  // SMSC's resend: answered, counted `resent`, not stored again (src/sms/README.md, "Inbound resends").
  const resent = outcomes.filter((o) => o === 'resent').length;
  assert.equal(count('SELECT count(*) FROM inbound_messages'), seen.validUnits - resent, 'every valid text stored once, no junk one, no resend');
  const stored = m.db.prepare('SELECT sender, body FROM inbound_messages ORDER BY id').all() as Array<{ sender: string; body: string }>;
  const lastBody = new Map<string, string>();
  for (const r of stored) {
    // Only a STOP is stored twice running (the pair was not revoked any more, or never was: the resend rule's exception).
    if (lastBody.get(r.sender) === r.body) assert.ok(/stop/i.test(r.body), `a resend look-alike was stored: ${JSON.stringify(r.body)}, seed ${SEED}`);
    lastBody.set(r.sender, r.body);
  }
  assert.equal(count('SELECT count(*) FROM inbound_messages WHERE business_id IS NULL'), 0);
  const ledgerConsumers = m.db.prepare('SELECT DISTINCT consumer FROM consent_ledger').pluck().all() as string[];
  const recipients = m.db.prepare('SELECT DISTINCT recipient FROM outbound_messages').pluck().all() as string[];
  const senders = m.db.prepare('SELECT DISTINCT sender FROM inbound_messages').pluck().all() as string[];
  for (const n of [...ledgerConsumers, ...recipients, ...senders]) assert.ok(POOL.includes(n), `${n} is one of the valid consumers (no junk sender filed), seed ${SEED}`);
  assert.ok(ledgerConsumers.length > 0, 'the fuzz did exercise STOP/START');

  await withTimeout(dispatcher.drain(), 10_000, 'the dispatcher to send every reply');
  const poolDigits = POOL.map((n) => n.slice(1));
  for (const s of p.sim.submits) assert.ok(poolDigits.includes(s.to), `a reply went only to a valid consumer, not ${JSON.stringify(s.to)}`);

  // The same bind still carries a STOP: revoked, and the confirmation reaches the SMSC.
  const last = POOL[0]!;
  m.grant(last);
  const before = p.sim.submits.length;
  assert.equal(await withTimeout(p.sim.deliver({ from: last.slice(1), to: BIZ, text: 'STOP' }), 10_000, 'the answer to the final STOP'), 0);
  assert.equal(m.consent.current(m.businessId, last), 'revoked');
  await withTimeout(dispatcher.drain(), 10_000, 'the STOP confirmation to be sent');
  assert.ok(
    p.sim.submits.slice(before).some((s) => s.to === last.slice(1) && /no more messages/.test(s.text)),
    'the STOP confirmation was submitted over the same bind',
  );
  assert.equal(p.sim.binds.length, 1);
});

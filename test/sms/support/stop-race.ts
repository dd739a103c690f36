import type { RecordedSubmit } from '../../../src/sim/smsc/smsc-simulator.ts';
import { DID, type MessagingDb } from '../fixtures/messaging-db.ts';
import type { LoggedPdu } from './smpp-fault-proxy.ts';

/**
 * The STOP race (src/sms/README.md, "No part after STOP"), shared by the in-process test and the kill -9 test: a queue of texts to
 * distinct consumers (every second one two parts long), STOPs injected by the SMSC at seeded moments,
 * and the checks read off the wire (the fault proxy's log) and the SMSC's record.
 */
export const CONFIRMATION_MARK = 'You are unsubscribed';

export function raceConsumer(i: number): string {
  return `+1512${String(6_000_000 + i).padStart(7, '0')}`;
}

/** Text i: one part when i is even, two (GSM-7, 153 + rest) when odd. */
export function raceBody(i: number): string {
  const head = `Acme Plumbing: update #${i} on your service request.`;
  return i % 2 === 0 ? head : `${head} ${'Your technician will call before arriving. '.repeat(4)}`;
}

export function raceParts(i: number): number {
  return i % 2 === 0 ? 1 : 2;
}

/** Grants consent to n consumers and queues one follow-up each. */
export function seedRace(m: MessagingDb, n: number): void {
  m.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      m.grant(raceConsumer(i));
      m.outbox.enqueue({ businessId: m.businessId, from: DID, to: raceConsumer(i), body: raceBody(i), kind: 'follow-up', callId: null, consentEventId: null });
    }
  })();
}

export interface RaceFindings {
  /** Bulk parts to a consumer written after its STOP's answer (so after its commit): must be none. */
  readonly afterStop: LoggedPdu[];
  /** Parts to a stopped consumer that reached the proxy after the STOP's commit but were written before it. */
  readonly arrivedAfterCommitWrittenBefore: number;
  /** STOPs whose answer or confirmation never showed up on the wire. */
  readonly unanswered: string[];
  readonly unconfirmed: string[];
  /** Per STOP: bulk texts whose first part was written after the STOP arrived and before its confirmation. */
  readonly bulkStartedBeforeConfirmation: number[];
}

/**
 * Reads the proxy's log. A STOP is the deliver_sm (SMSC → client) from the consumer; its answer is the
 * client's deliver_sm_resp with the same sequence number on the same connection. The gateway answers
 * only after the STOP's transaction committed, and the log is in the client's write order, so a
 * submit_sm logged after the answer was written after the commit. `commitAt` (performance.now() when
 * the handler returned, in-process runs only) is used for the diagnostic count.
 */
export function readRace(log: readonly LoggedPdu[], stops: readonly string[], commitAt: ReadonlyMap<string, number> = new Map()): RaceFindings {
  const afterStop: LoggedPdu[] = [];
  const unanswered: string[] = [];
  const unconfirmed: string[] = [];
  const bulkStartedBeforeConfirmation: number[] = [];
  let arrivedAfterCommitWrittenBefore = 0;
  const firstSeen = new Map<string, number>();
  log.forEach((p, i) => {
    if (p.dir === 'up' && p.command === 'submit_sm' && !firstSeen.has(p.to)) firstSeen.set(p.to, i);
  });
  for (const who of stops) {
    // The last STOP from this consumer (a redelivery after a restart repeats it).
    let stopAt = -1;
    log.forEach((p, i) => {
      if (p.dir === 'down' && p.command === 'deliver_sm' && p.from === who && /stop/i.test(p.text)) stopAt = i;
    });
    if (stopAt < 0) {
      unanswered.push(who);
      continue;
    }
    const stop = log[stopAt]!;
    const answerAt = log.findIndex((p, i) => i > stopAt && p.dir === 'up' && p.command === 'deliver_sm_resp' && p.conn === stop.conn && p.seq === stop.seq);
    if (answerAt < 0) {
      unanswered.push(who);
      continue;
    }
    const committed = commitAt.get(who);
    for (let i = stopAt + 1; i < log.length; i++) {
      const p = log[i]!;
      if (p.dir !== 'up' || p.command !== 'submit_sm' || p.to !== who || p.text.includes(CONFIRMATION_MARK)) continue;
      if (i > answerAt) afterStop.push(p);
      else if (committed !== undefined && p.at > committed) arrivedAfterCommitWrittenBefore++;
    }
    const confAt = log.findIndex((p, i) => i > stopAt && p.dir === 'up' && p.command === 'submit_sm' && p.to === who && p.text.includes(CONFIRMATION_MARK));
    if (confAt < 0) {
      unconfirmed.push(who);
      continue;
    }
    let started = 0;
    for (const [to, at] of firstSeen) if (at > stopAt && at < confAt && !log[at]!.text.includes(CONFIRMATION_MARK)) started++;
    bulkStartedBeforeConfirmation.push(started);
  }
  return { afterStop, arrivedAfterCommitWrittenBefore, unanswered, unconfirmed, bulkStartedBeforeConfirmation };
}

/** The parts the SMSC accepted, per consumer (digits) and part number, with how many times each was accepted. */
export function acceptedByConsumer(submits: readonly RecordedSubmit[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of submits) {
    if (s.messageId === null || s.text.includes(CONFIRMATION_MARK)) continue;
    const parts = out.get(s.to) ?? new Map<number, number>();
    const part = s.concat?.seq ?? 1;
    parts.set(part, (parts.get(part) ?? 0) + 1);
    out.set(s.to, parts);
  }
  return out;
}

/** Texts (one per consumer) with at least one part accepted more than once. */
export function duplicatedTexts(accepted: ReadonlyMap<string, ReadonlyMap<number, number>>): number {
  let n = 0;
  for (const parts of accepted.values()) if ([...parts.values()].some((c) => c > 1)) n++;
  return n;
}

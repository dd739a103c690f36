import { createHash } from 'node:crypto';
import type { ConsentEventType, ConsentMethod } from '../consent.ts';

/**
 * One consent ledger row as it is hashed, exported and audited: database column names, `at` in
 * ISO-8601 UTC with milliseconds as the exports print it. The hash-chain rule, with a `sha256sum`
 * example for auditors: src/domain/ledger/README.md, "Hash chain".
 */
export interface LedgerRecord {
  readonly id: number;
  readonly at: string;
  readonly business_id: number;
  readonly did: string;
  readonly consumer: string;
  readonly event: ConsentEventType;
  readonly method: ConsentMethod;
  readonly script_version: string | null;
  readonly script_sha256: string | null;
  readonly transcript: string | null;
  readonly audio_path: string | null;
  readonly audio_sha256: string | null;
  readonly call_id: number | null;
  readonly source: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/** The canonical field order; also the stable column order of the CSV export (plus `hash` last). */
export const LEDGER_CANONICAL_FIELDS = [
  'id',
  'at',
  'business_id',
  'did',
  'consumer',
  'event',
  'method',
  'script_version',
  'script_sha256',
  'transcript',
  'audio_path',
  'audio_sha256',
  'call_id',
  'source',
  'prev_hash',
] as const satisfies readonly (keyof LedgerRecord)[];

export const LEDGER_FIELDS = [...LEDGER_CANONICAL_FIELDS, 'hash'] as const;

export const GENESIS_HASH = '0'.repeat(64);

export type UnhashedLedgerRecord = Omit<LedgerRecord, 'hash'>;

const DAY_MS = 86_400_000;
/** Years 0000-9999: outside them toISOString's form changes (±YYYYYY), so those take the slow path. */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;
let memoDay = Number.NaN;
let memoDayPrefix = '';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * UTC milliseconds → the ledger's ISO-8601 form, exactly `new Date(ms).toISOString()`
 * (`2026-05-26T14:03:07.123Z`). The date part is memoized per day and the time is done in integer
 * arithmetic, because a million-row export calls this once per row (the memo is a pure cache).
 */
export function ledgerTime(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= MAX_FOUR_DIGIT_YEAR_MS) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== memoDay) {
    memoDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    memoDay = day;
  }
  let r = ms - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  return `${memoDayPrefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(r - s * 1000)}Z`;
}

export function canonicalLedgerJson(r: UnhashedLedgerRecord): string {
  // Built field by field (not JSON.stringify(r)) so that extra properties or a different key order in
  // the input can never change the bytes.
  return JSON.stringify({
    id: r.id,
    at: r.at,
    business_id: r.business_id,
    did: r.did,
    consumer: r.consumer,
    event: r.event,
    method: r.method,
    script_version: r.script_version,
    script_sha256: r.script_sha256,
    transcript: r.transcript,
    audio_path: r.audio_path,
    audio_sha256: r.audio_sha256,
    call_id: r.call_id,
    source: r.source,
    prev_hash: r.prev_hash,
  });
}

export function ledgerHash(r: UnhashedLedgerRecord): string {
  return createHash('sha256').update(r.prev_hash, 'ascii').update(canonicalLedgerJson(r), 'utf8').digest('hex');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

import type { NewConsentEvent } from '../domain/consent.ts';
import { GENESIS_HASH, ledgerTime, type LedgerRecord, type UnhashedLedgerRecord } from '../domain/ledger/ledger-record.ts';
import type { LedgerRecordWithScript } from '../domain/ports/consent-ledger.ts';

/** The ledger columns in LEDGER_FIELDS order (`at` stored as UTC ms), for `.raw()` reads. */
export const LEDGER_COLUMNS =
  'l.id, l.at, l.business_id, l.did, l.consumer, l.event, l.method, l.script_version, l.script_sha256, l.transcript, l.audio_path, l.audio_sha256, l.call_id, l.source, l.prev_hash, l.hash';

/** LEDGER_COLUMNS plus the script text as the 17th column. */
export const LEDGER_WITH_SCRIPT = `SELECT ${LEDGER_COLUMNS}, s.text AS script_text FROM consent_ledger l LEFT JOIN consent_scripts s ON s.sha256 = l.script_sha256`;

export type LedgerTuple = [
  number,
  number,
  number,
  string,
  string,
  LedgerRecord['event'],
  LedgerRecord['method'],
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
  string,
  string,
  string,
];
export type LedgerTupleWithScript = [...LedgerTuple, string | null];

/** From a raw row: better-sqlite3 builds arrays about twice as fast as objects. */
export function tupleToRecord(t: LedgerTuple | LedgerTupleWithScript): LedgerRecord {
  return {
    id: t[0],
    at: ledgerTime(t[1]),
    business_id: t[2],
    did: t[3],
    consumer: t[4],
    event: t[5],
    method: t[6],
    script_version: t[7],
    script_sha256: t[8],
    transcript: t[9],
    audio_path: t[10],
    audio_sha256: t[11],
    call_id: t[12],
    source: t[13],
    prev_hash: t[14],
    hash: t[15],
  };
}

/** Key order is the exported JSON's: the record's fields, then `script_text`. */
export function tupleToRecordWithScript(t: LedgerTupleWithScript): LedgerRecordWithScript {
  return { ...tupleToRecord(t), script_text: t[16] };
}

/**
 * The record a new consent event appends after `last` (the newest row, none for the first), before its
 * hash: the one mapping SqliteConsentStore and PgConsentStore both hash and insert. `at` is UTC ms.
 */
export function unhashedRecord(e: NewConsentEvent, at: number, scriptSha: string | null, last: { id: number; hash: string } | undefined): UnhashedLedgerRecord {
  return {
    id: (last?.id ?? 0) + 1,
    at: ledgerTime(at),
    business_id: e.businessId,
    did: e.did,
    consumer: e.consumer,
    event: e.event,
    method: e.method,
    script_version: e.scriptVersion,
    script_sha256: scriptSha,
    transcript: e.transcript,
    audio_path: e.audioPath,
    audio_sha256: e.audioSha256,
    call_id: e.callId,
    source: e.source,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
}

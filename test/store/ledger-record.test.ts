import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GENESIS_HASH, canonicalLedgerJson, ledgerHash, ledgerTime, type UnhashedLedgerRecord } from '../../src/domain/ledger/ledger-record.ts';

test('ledgerTime is exactly toISOString, across day boundaries and out-of-range values', () => {
  const samples = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2026, 4, 26, 23, 59, 59, 999), Date.UTC(2026, 4, 27), 253_402_300_799_999, 253_402_300_800_000];
  let x = 12345;
  for (let i = 0; i < 5000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    samples.push(Date.UTC(2020, 0, 1) + x * 97);
  }
  for (const ms of samples) assert.equal(ledgerTime(ms), new Date(ms).toISOString(), String(ms));
});

test('the chain hash is sha256(prev_hash ‖ canonical JSON) as documented for auditors', () => {
  const r: UnhashedLedgerRecord = {
    id: 1,
    at: '2026-05-26T14:03:07.123Z',
    business_id: 1,
    did: '+15125550100',
    consumer: '+15125550123',
    event: 'granted',
    method: 'verbal',
    script_version: 'v1',
    script_sha256: null,
    transcript: 'yes — "sure"',
    audio_path: null,
    audio_sha256: null,
    call_id: 7,
    source: 'call',
    prev_hash: GENESIS_HASH,
  };
  const shuffled = Object.fromEntries(Object.entries(r).reverse()) as unknown as UnhashedLedgerRecord;
  assert.equal(canonicalLedgerJson(shuffled), canonicalLedgerJson(r));
  assert.equal(
    canonicalLedgerJson(r),
    `{"id":1,"at":"2026-05-26T14:03:07.123Z","business_id":1,"did":"+15125550100","consumer":"+15125550123","event":"granted","method":"verbal","script_version":"v1","script_sha256":null,"transcript":"yes — \\"sure\\"","audio_path":null,"audio_sha256":null,"call_id":7,"source":"call","prev_hash":"${GENESIS_HASH}"}`,
  );
  assert.equal(ledgerHash(r), createHash('sha256').update(GENESIS_HASH + canonicalLedgerJson(r)).digest('hex'));
  assert.notEqual(ledgerHash({ ...r, transcript: 'yes' }), ledgerHash(r));
});

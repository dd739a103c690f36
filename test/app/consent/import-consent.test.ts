import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importConsentNdjson } from '../../../src/app/consent/import-consent.ts';
import type { Business } from '../../../src/domain/business.ts';
import type { ConsentEvent, NewConsentEvent } from '../../../src/domain/consent.ts';
import type { BusinessDirectory } from '../../../src/domain/ports/business-directory.ts';
import type { ConsentLedger } from '../../../src/domain/ports/consent-ledger.ts';

const acme: Business = {
  id: 1,
  name: 'Acme',
  dids: ['+15125550100'],
  timezone: 'America/Chicago',
  consentMode: 'verbal',
  templates: {},
  greeting: null,
  emergencyInstruction: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const businesses: BusinessDirectory = { byId: (id) => (id === 1 ? acme : undefined), byDid: () => undefined, list: () => [acme] };

/** Records what it was asked to append; only appendAll is used by the import. */
function fakeLedger(): { ledger: ConsentLedger; batches: NewConsentEvent[][] } {
  const batches: NewConsentEvent[][] = [];
  const ledger = {
    appendAll(events: readonly NewConsentEvent[]): ConsentEvent[] {
      batches.push([...events]);
      return events.map((e, i) => ({ ...e, id: i + 1, at: e.at ?? 0, prevHash: '', hash: '' }));
    },
  } as unknown as ConsentLedger;
  return { ledger, batches };
}

test('each line becomes one method-import event with its original time; one batch for the file', () => {
  const { ledger, batches } = fakeLedger();
  const lines = [
    JSON.stringify({ event: 'granted', business_id: 1, consumer: '512 555 0123', at: '2025-11-02T15:04:05.5Z', method: 'web-form', transcript: 'yes' }),
    '',
    JSON.stringify({ event: 'revoked', business_id: 1, consumer: '+15125550123', did: '5125550100', at: 1767225600000, source: 'email' }),
  ];
  const r = importConsentNdjson({ ledger, businesses }, lines, 'old.ndjson');
  assert.deepEqual(r, { imported: 2, firstId: 1, lastId: 2 });
  assert.equal(batches.length, 1);
  const [a, b] = batches[0]!;
  assert.equal(a!.method, 'import');
  assert.equal(a!.at, Date.UTC(2025, 10, 2, 15, 4, 5, 500));
  assert.equal(a!.consumer, '+15125550123');
  assert.equal(a!.did, '+15125550100');
  assert.equal(a!.source, 'import:old.ndjson:1 (method=web-form)');
  assert.equal(b!.source, 'import:old.ndjson:3 (source=email)');
  assert.equal(b!.at, 1767225600000);
});

test('a bad line throws with its line number before anything is appended', () => {
  const { ledger, batches } = fakeLedger();
  const good = JSON.stringify({ event: 'granted', business_id: 1, consumer: '+15125550123', at: 0 });
  assert.throws(
    () => importConsentNdjson({ ledger, businesses }, [good, good, JSON.stringify({ event: 'granted', business_id: 1, at: 0 })], 'f'),
    (e: Error & { code?: string; details?: { line?: number } }) => e.code === 'INPUT.INVALID' && e.message.startsWith('line 3: consumer') && e.details?.line === 3,
  );
  assert.equal(batches.length, 0);
});

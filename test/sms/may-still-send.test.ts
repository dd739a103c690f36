import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openMessagingDb } from './fixtures/messaging-db.ts';

/**
 * The check the gateway makes just before writing each part. It reads the pair's consent now,
 * so a STOP committed by another process (another connection to the file: the CLI's `consent revoke`)
 * is seen at once; keyword replies and staff alerts are never withheld by a consumer's STOP.
 */
test('mayStillSend: a revocation committed on another connection withholds consumer texts, not keyword replies or staff alerts', (t) => {
  const m = openMessagingDb();
  const other = openMessagingDb({ path: m.path });
  t.after(() => {
    other.db.close();
    m.close();
  });
  const to = '+15125550190';
  const ask = (kind: 'first-reply' | 'follow-up' | 'keyword-reply' | 'staff') => m.outbox.mayStillSend({ businessId: m.businessId, to, kind });
  assert.equal(ask('follow-up'), false, 'no consent yet');
  assert.equal(ask('staff'), true);
  other.grant(to);
  assert.equal(ask('follow-up'), true, 'a grant committed elsewhere is seen');
  other.grant(to, 'revoked');
  assert.deepEqual(
    (['first-reply', 'follow-up', 'keyword-reply', 'staff'] as const).map(ask),
    [false, false, true, true],
    'after the STOP: consumer texts withheld; the confirmation and staff alerts still go',
  );
  other.grant(to, 'implied');
  assert.deepEqual([ask('first-reply'), ask('follow-up')], [true, false], 'implied consent covers the first reply only');
});

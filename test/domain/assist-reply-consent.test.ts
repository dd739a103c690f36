import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { refineDecision } from '../../src/domain/assist/consent-refinement.ts';
import { routeReply } from '../../src/domain/assist/reply-routing.ts';
import { parseInbound } from '../../src/domain/messaging/keyword-parser.ts';
import { REPLY_INTENTS } from '../../src/domain/ports/assist.ts';

describe('refineDecision: the assist never grants', () => {
  test('unclear becomes declined only on a refusal verdict', () => {
    assert.equal(refineDecision('unclear', true), 'declined');
    assert.equal(refineDecision('unclear', false), 'unclear');
    assert.equal(refineDecision('unclear', null), 'unclear');
  });
  test('a rules decision is never changed', () => {
    for (const v of [true, false, null]) {
      assert.equal(refineDecision('granted', v), 'granted');
      assert.equal(refineDecision('declined', v), 'declined');
    }
  });
});

describe('routeReply: rules first, the assist only adds', () => {
  test('a revocation found by the rules stands whatever the assist says', () => {
    for (const intent of [...REPLY_INTENTS, null]) {
      const r = routeReply(parseInbound('please stop texting me'), 'please stop texting me', intent);
      assert.deepEqual(r, { revoke: true, forward: false, by: 'rules' });
    }
  });
  test('the assist adds a revocation the rules missed', () => {
    const text = 'who is this? quit bugging me';
    assert.equal(routeReply(parseInbound(text), text, null).revoke, false);
    assert.deepEqual(routeReply(parseInbound(text), text, 'revoke'), { revoke: true, forward: false, by: 'assist' });
  });
  test('questions and booking replies are forwarded by the local rule, and by the assist when the rule misses', () => {
    const q = 'can you come tomorrow at 9?';
    assert.deepEqual(routeReply(parseInbound(q), q, null), { revoke: false, forward: true, by: 'rules' });
    assert.deepEqual(routeReply(parseInbound(q), q, 'other'), { revoke: false, forward: true, by: 'rules' });
    const b = 'the back gate code is 4411, dog is friendly';
    assert.deepEqual(routeReply(parseInbound(b), b, null), { revoke: false, forward: false, by: 'rules' });
    assert.deepEqual(routeReply(parseInbound(b), b, 'booking'), { revoke: false, forward: true, by: 'assist' });
  });
});

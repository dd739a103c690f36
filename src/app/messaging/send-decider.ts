import { evaluateSend, type SendingRules } from '../../domain/messaging/sending-policy.ts';
import type { SendDecider } from '../../domain/ports/outbox.ts';

/**
 * The sending decision the outbox asks inside its claiming transaction (and `preflight` before a text is
 * queued): the configured rules applied to the facts the store read. Built here, not in the store, so the
 * rule path is tested without a database (test/app/messaging/send-decider.test.ts).
 */
export function sendDecider(rules: SendingRules): SendDecider {
  return (facts) => evaluateSend(facts, rules);
}

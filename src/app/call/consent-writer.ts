import type { CallConsentEvent } from '../../domain/call-flow/call-commands.ts';
import { defaultFirstText } from '../../domain/call-flow/first-text.ts';
import { withUrgentNote } from '../../domain/urgency/urgency-messages.ts';
import { consentEventForCall, firstTextForCall } from './call-records.ts';
import type { CallSessionContext } from './call-session-context.ts';
import { errorFields } from './error-fields.ts';

/** Writes the call's decision to the consent ledger (with the decision latency for verbal answers). */
export function saveConsent(ctx: CallSessionContext, event: CallConsentEvent): void {
  const ev = ctx.evidence;
  try {
    const answer = ev.answers.at(-1);
    const now = ctx.deps.clock.now();
    const stored = ctx.deps.consentStore.append(
      consentEventForCall({ event, facts: ctx.facts, consentTextsPlayed: ev.consentTexts, answer, at: now }),
    );
    ev.consentEventId = stored.id;
    if (event !== 'implied') {
      const endedAt = answer?.endedAt ?? null;
      ev.decisionLatencyMs = endedAt === null ? null : now - endedAt;
      if (ev.decisionLatencyMs !== null) ctx.deps.metrics.consentDecided(event, ev.decisionLatencyMs);
    }
    ctx.log.info({ event, consentEventId: stored.id, latencyMs: ev.decisionLatencyMs }, 'consent event stored');
    ctx.dispatch({ type: 'consent-saved' });
  } catch (err) {
    ctx.log.error({ event, err: errorFields(err) }, 'consent event could not be stored');
    ctx.dispatch({ type: 'consent-save-failed' });
  }
}

/** Queues the first text under the stored ledger event (the flow asks only once the ledger holds it). */
export function queueFirstText(ctx: CallSessionContext): void {
  const ev = ctx.evidence;
  try {
    // The assist's checked phrase only if its intake has already settled: the text never waits for it.
    const assisted = ctx.deps.assist?.settledProblem(ctx.facts.callId) ?? null;
    const render = ctx.deps.renderFirstText ?? ((b, t) => defaultFirstText(b, t, assisted));
    const transcript = ev.messageTranscript;
    const urgency = ev.urgency;
    ev.outboundMessageId = ctx.deps.outbox.enqueue(
      firstTextForCall({ facts: ctx.facts, body: (b) => withUrgentNote(render(b, transcript), urgency), consentEventId: ev.consentEventId }),
    );
    ctx.log.info({ outboundId: ev.outboundMessageId }, 'first text queued');
    ctx.dispatch({ type: 'sms-queued' });
  } catch (err) {
    ctx.log.error({ err: errorFields(err) }, 'first text could not be queued');
    ctx.dispatch({ type: 'sms-failed' });
  }
}

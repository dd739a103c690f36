import type { CallFlowState } from '../../domain/call-flow/call-state.ts';
import type { CallResult } from './call-deps.ts';
import { consentOutcomeOf, type CallEndSummary } from './call-end-summary.ts';
import type { CallSessionContext } from './call-session-context.ts';
import { errorFields } from './error-fields.ts';

/** Closes the call row (the flow's `closeCall` command) and counts the outcome. */
export function closeCallRow(ctx: CallSessionContext, outcome: CallResult['outcome']): void {
  ctx.evidence.endedAt = ctx.deps.clock.now();
  try {
    ctx.deps.callLog.close(ctx.facts.callId, { outcome, endedAt: ctx.evidence.endedAt });
  } catch (err) {
    ctx.log.error({ outcome, err: errorFields(err) }, 'call row could not be closed');
  }
  ctx.deps.metrics.callEnded(outcome);
  ctx.log.info({ outcome, ignoredEvents: ctx.ignoredEvents() }, 'call ended');
}

/** What the call came to, from the final flow state and the evidence. */
export function callResultOf(ctx: CallSessionContext, s: CallFlowState): CallResult {
  const ev = ctx.evidence;
  return {
    callId: ctx.facts.callId,
    route: s.route,
    outcome: s.outcome ?? 'failed',
    decision: s.ledger === 'saved' ? s.decision : null,
    consentEventId: ev.consentEventId,
    outboundMessageId: ev.outboundMessageId,
    decisionLatencyMs: ev.decisionLatencyMs,
    message: ev.message,
    messageTranscript: ev.messageTranscript,
    ignoredEvents: ctx.ignoredEvents(),
  };
}

/** Hands the call's summary to `onCallEnded` without waiting for it; its failures are only logged. */
export function notifyCallEnded(ctx: CallSessionContext, s: CallFlowState): void {
  const hook = ctx.deps.onCallEnded;
  if (hook === undefined) return;
  const ev = ctx.evidence;
  const b = ctx.facts.business;
  const u = ev.urgency;
  const summary: CallEndSummary = {
    business: b === null ? null : { id: b.id, name: b.name, timezone: b.timezone },
    callId: ctx.facts.callId,
    did: ctx.facts.did,
    callerE164: ctx.facts.callerE164,
    endedAt: ev.endedAt ?? ctx.deps.clock.now(),
    transcript: ev.messageTranscript,
    summary: null,
    consent: consentOutcomeOf(s),
    recordingRef: ev.message?.path ?? null,
    callerWasTold: ev.told.length > 0 ? ev.told.join(' ') : null,
    urgency: u === null ? null : { urgent: u.urgent, rule: u.rule, matched: u.matched },
    outcome: s.outcome ?? 'failed',
  };
  const failed = (err: unknown) => ctx.log.error({ err: errorFields(err) }, 'call-ended hook failed');
  try {
    const r = hook(summary);
    if (r instanceof Promise) r.catch(failed);
  } catch (err) {
    failed(err);
  }
}

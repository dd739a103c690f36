import { callOutcome } from './call-outcome.ts';
import { ANSWER_PIPELINE } from './call-state.ts';
import { HANGUP_CONFIRM_MS } from './call-timeouts.ts';
import { cancelTimer, collectCutAnswer, collectMessage, messageBusy, saveConsent, startTimer, type Draft } from './transition-draft.ts';

/**
 * Hangup and cleanup, common to every phase: stopping what runs, hanging up, and closing the call once
 * the background work (message transcription, ledger, outbox) has settled.
 */

/**
 * Cleanup: stop what is playing or recording. A message being recorded is kept and collected; so is an
 * answer, to be judged (`keepAnswer`), except when the watchdog ends everything at once.
 */
export function stopActive(d: Draft, keepAnswer = true): void {
  const s = d.s;
  if (s.playing !== null) {
    d.cmds.push({ type: 'stopPlayback' });
    s.playing = null;
    cancelTimer(d, 'prompt');
  }
  cancelTimer(d, 'urgency');
  if (s.recording !== null) {
    const purpose = s.recording;
    d.cmds.push({ type: 'stopRecording' });
    s.recording = null;
    cancelTimer(d, 'recording');
    if (purpose === 'message') collectMessage(d);
    else if (keepAnswer) collectCutAnswer(d);
  }
}

export function hangUp(d: Draft): void {
  d.s.phase = 'hanging-up';
  d.cmds.push({ type: 'hangup' });
  startTimer(d, 'hangup', HANGUP_CONFIRM_MS);
}

export function fail(d: Draft, why: 'failed' | 'interrupted'): void {
  const s = d.s;
  if (why === 'failed') s.failed = true;
  else s.interrupted = true;
  stopActive(d);
  cancelTimer(d, 'settle');
  if (ANSWER_PIPELINE.includes(s.phase)) {
    // The answer is complete: let the decision finish while the line goes down.
    d.cmds.push({ type: 'hangup' });
    startTimer(d, 'hangup', HANGUP_CONFIRM_MS);
  } else {
    hangUp(d);
  }
}

export function lineDown(d: Draft, byCaller: boolean): void {
  const s = d.s;
  s.line = 'down';
  if (byCaller) s.callerHungUp = true;
  stopActive(d);
  cancelTimer(d, 'settle');
  cancelTimer(d, 'hangup');
  // Implied consent comes from placing the call; a hangup does not take it back.
  if (s.route === 'implied' && s.ledger === 'none') saveConsent(d, 'implied');
  if (!ANSWER_PIPELINE.includes(s.phase)) s.phase = 'winding-down';
  maybeQueue(d);
  maybeFinish(d);
}

/** The answer pipeline ended without a goodbye: the line is down or going down. */
export function afterPipeline(d: Draft): void {
  d.s.phase = d.s.line === 'down' ? 'winding-down' : 'hanging-up';
  maybeFinish(d);
}

export function maybeQueue(d: Draft): void {
  const s = d.s;
  const allowed = s.decision === 'granted' || s.decision === 'implied';
  if (allowed && s.ledger === 'saved' && s.sms === 'none' && !messageBusy(s)) {
    s.sms = 'queuing';
    d.cmds.push({ type: 'queueSms' });
  }
}

export function maybeFinish(d: Draft): void {
  const s = d.s;
  if (s.phase !== 'winding-down' || messageBusy(s) || s.ledger === 'saving' || s.sms === 'queuing') return;
  closeCall(d);
}

export function closeCall(d: Draft): void {
  for (const t of [...d.s.timers]) cancelTimer(d, t);
  d.s.phase = 'ended';
  const outcome = callOutcome(d.s);
  d.s.outcome = outcome;
  d.cmds.push({ type: 'closeCall', outcome });
}

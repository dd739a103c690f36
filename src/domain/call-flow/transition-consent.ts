import type { ConsentDecision } from '../ports/consent-classifier.ts';
import type { AnswerUnheard } from './call-state.ts';
import { afterPipeline, maybeFinish, maybeQueue } from './transition-cleanup.ts';
import { cancelTimer, leaving, play, saveConsent, startTimer, type Draft } from './transition-draft.ts';
import { goodbye } from './transition-goodbye.ts';

/**
 * The consent answer: collected, transcribed, classified, decided (with one reprompt when unclear,
 * none when the recognizer had no capacity for it), and stored in the ledger before anything may be texted.
 */

export function onAnswerCollected(d: Draft, ok: boolean): boolean {
  const s = d.s;
  if (s.phase !== 'collecting-answer') return false;
  if (!ok) {
    decide(d, 'unclear');
    return true;
  }
  s.phase = 'transcribing-answer';
  d.cmds.push({ type: 'transcribe', purpose: 'answer' });
  startTimer(d, 'transcribe-answer', s.settings.transcribeAnswerTimeoutMs);
  return true;
}

export function onAnswerTranscribed(d: Draft, result: 'ok' | 'failed' | 'saturated'): boolean {
  const s = d.s;
  if (s.phase !== 'transcribing-answer') return false;
  cancelTimer(d, 'transcribe-answer');
  if (result === 'saturated') {
    unheard(d, 'recognizer-saturated');
  } else if (result === 'failed') {
    // A failed transcription is never a yes.
    decide(d, 'unclear');
  } else {
    s.phase = 'classifying';
    d.cmds.push({ type: 'classify' });
  }
  return true;
}

export function onClassified(d: Draft, decision: ConsentDecision): boolean {
  if (d.s.phase !== 'classifying') return false;
  decide(d, decision);
  return true;
}

/** The answer's transcription bound passed: the recognizer is too busy to hear it in time. */
export function onAnswerTimeout(d: Draft): boolean {
  if (d.s.phase !== 'transcribing-answer') return false;
  d.cmds.push({ type: 'cancelTranscription', purpose: 'answer' });
  unheard(d, 'recognizer-timeout');
  return true;
}

/**
 * The answer could not be heard for lack of recognizer capacity. It is stored as `unclear` (nothing
 * unclear counts as yes) with the reason, on the first attempt too: a reprompt would queue behind the
 * same load and fail the same way (issue 13: 25 calls on one recognizer, every reprompt timed out as
 * well, and callers stayed 186 s on the line to be recorded `unclear` as if they had mumbled). Stored even
 * when the caller has gone: they did answer, so an older grant must not keep speaking for them.
 */
function unheard(d: Draft, why: AnswerUnheard): void {
  d.s.answerUnheard = why;
  d.s.phase = 'storing-decision';
  saveConsent(d, 'unclear', why);
}

/** A verbal decision from the classifier (or `unclear` when there is nothing to classify). */
export function decide(d: Draft, decision: ConsentDecision): void {
  const s = d.s;
  // A cut answer (the call ended while the caller spoke) that says nothing clear is no answer at all.
  if (decision === 'unclear' && (s.attempts < 2 || s.answerCut)) {
    if (!leaving(s)) {
      s.attempts = 2;
      s.phase = 'asking';
      play(d, 'reprompt');
    } else {
      // Gone before the reprompt (or cut short): an unclear answer is not a decision, so nothing is stored.
      afterPipeline(d);
    }
    return;
  }
  s.phase = 'storing-decision';
  saveConsent(d, decision);
}

export function onLedger(d: Draft, ok: boolean): boolean {
  const s = d.s;
  if (s.ledger !== 'saving') return false;
  s.ledger = ok ? 'saved' : 'failed';
  if (!ok) s.storeFailed = true;
  // Queue before anything can close the call.
  maybeQueue(d);
  if (s.phase === 'storing-decision') {
    if (leaving(s)) {
      afterPipeline(d);
    } else {
      goodbye(d);
    }
  }
  maybeFinish(d);
  return true;
}

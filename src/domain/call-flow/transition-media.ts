import type { RecordingEnd } from '../ports/call-engine.ts';
import type { RecordingPurpose } from './call-state.ts';
import { SETTLE_MS } from './call-timeouts.ts';
import type { PromptKey } from './prompts.ts';
import { decide } from './transition-consent.ts';
import { fail, hangUp, lineDown } from './transition-cleanup.ts';
import { cancelTimer, collectCutAnswer, collectMessage, play, record, saveConsent, startTimer, type Draft } from './transition-draft.ts';
import { goodbye, goodbyePrompt } from './transition-goodbye.ts';

/**
 * What follows the end of a prompt or a recording: greeting → message → consent question → answer,
 * or straight to the goodbye for the routes that ask nothing.
 */

export function onPromptEnded(d: Draft, prompt: PromptKey, outcome: 'done' | 'stopped' | 'failed' | 'timeout'): void {
  const s = d.s;
  if (outcome === 'timeout') d.cmds.push({ type: 'stopPlayback' });
  s.playing = null;
  cancelTimer(d, 'prompt');
  switch (prompt) {
    case 'greeting':
      // Even a failed greeting is followed by the beep: taking the message matters more than the words.
      s.phase = 'recording-message';
      record(d, 'message');
      return;
    case 'consent':
    case 'reprompt':
      if (outcome === 'done' || outcome === 'stopped') {
        s.phase = 'recording-answer';
        record(d, 'answer');
      } else if (outcome === 'failed') {
        // Usually a hangup arriving right behind; wait for it before calling the prompt broken.
        s.phase = 'prompt-failed';
        startTimer(d, 'settle', SETTLE_MS);
      } else {
        // The question was not heard to its end: no answer can be taken.
        fail(d, 'failed');
      }
      return;
    case 'emergency':
      // Whatever became of the instruction, the goodbye follows (a hangup stops it like any prompt).
      s.phase = 'goodbye';
      play(d, goodbyePrompt(s));
      return;
    case 'goodbye-granted':
    case 'goodbye-declined':
    case 'goodbye-unheard':
    case 'goodbye-implied':
    case 'goodbye-message':
      hangUp(d);
      return;
  }
}

export function onRecordingEnded(d: Draft, purpose: RecordingPurpose, end: RecordingEnd): void {
  const s = d.s;
  s.recording = null;
  cancelTimer(d, 'recording');
  if (end === 'hangup') {
    // The engine keeps what was recorded up to the hangup (test/fixtures/asterisk/traces/README.md,
    // point 4): a message is kept, an answer is judged like any other.
    if (purpose === 'message') collectMessage(d);
    else collectCutAnswer(d);
    lineDown(d, true);
    return;
  }
  if (purpose === 'answer') {
    if (end === 'failed') {
      decide(d, 'unclear');
    } else {
      s.phase = 'collecting-answer';
      d.cmds.push({ type: 'collectRecording', purpose: 'answer' });
    }
    return;
  }
  if (end === 'failed') s.message = 'settled';
  else collectMessage(d);
  switch (s.route) {
    case 'verbal':
      s.attempts = 1;
      s.phase = 'asking';
      play(d, 'consent');
      return;
    case 'implied':
      saveConsent(d, 'implied');
      goodbye(d);
      return;
    case 'withheld':
    case 'unknown-did':
    case 'not-textable':
      goodbye(d);
      return;
  }
}

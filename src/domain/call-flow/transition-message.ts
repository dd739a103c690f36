import { maybeFinish, maybeQueue } from './transition-cleanup.ts';
import { cancelTimer, startTimer, type Draft } from './transition-draft.ts';
import { endUrgencyWait } from './transition-goodbye.ts';

/** The caller's message once recorded: collected, then transcribed in the background while the call goes on. */

export function onMessageCollected(d: Draft, ok: boolean): boolean {
  const s = d.s;
  if (s.message !== 'collecting') return false;
  if (ok) {
    s.messageTaken = true;
    s.message = 'transcribing';
    d.cmds.push({ type: 'transcribe', purpose: 'message' });
    startTimer(d, 'transcribe-message', s.settings.transcribeMessageTimeoutMs);
  } else {
    s.message = 'settled';
  }
  maybeQueue(d);
  endUrgencyWait(d);
  maybeFinish(d);
  return true;
}

/** Transcribed, failed, or timed out: the call goes on either way (the audio is kept). */
export function onMessageTranscribed(d: Draft): boolean {
  const s = d.s;
  if (s.message !== 'transcribing') return false;
  cancelTimer(d, 'transcribe-message');
  s.message = 'settled';
  maybeQueue(d);
  endUrgencyWait(d);
  maybeFinish(d);
  return true;
}

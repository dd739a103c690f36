import { readFileSync } from 'node:fs';
import type { Config } from '../../../src/config/config-schema.ts';
import { renderPrompt, type PromptBusiness, type PromptKey } from '../../../src/domain/call-flow/prompts.ts';
import { wavDurationMs } from '../../../src/sim/sim-wav.ts';
import { createSynthesizer } from '../../../src/speech/speech-factory.ts';
import { sayPhrase, type Phrase } from '../../e2e/tone-speech.ts';
import type { CallerPart } from './caller-pcap.ts';

/**
 * When the caller speaks. SIPp plays a fixed pcap and cannot listen, so the caller's audio is laid out
 * in advance from what callkeeper will play: the prompts' real lengths (synthesized here into the
 * shared prompt cache, which the service then reuses) and the recording settings. Each answer is a
 * tone that starts before the question ends and goes on after it, so the answer window (which opens
 * when the question ends) hears it even when the engine runs a second early or late.
 */
const MESSAGE: Phrase = 'Hi, this is Dana. My kitchen faucet is leaking. Please call me back.';
export const YES: Phrase = 'Yes, that is fine.';
export const NO: Phrase = 'No thanks.';

/** The caller starts after the greeting and the beep (FreeSWITCH's beep is 300 ms). */
const AFTER_GREETING_MS = 1_000;
const MESSAGE_MS = 1_500;
/** How far the answer tone reaches before and after the question's end: the tolerated timing error. */
export const ANSWER_SLACK_MS = 1_500;

export interface Timeline {
  readonly greetingMs: number;
  readonly consentMs: number;
  readonly repromptMs: number;
  readonly messageSilenceMs: number;
}

/** Synthesizes the prompts a call to `business` plays (into the service's prompt cache) and measures them. */
export async function measurePrompts(prompts: Config['prompts'], business: PromptBusiness, call: Config['call']): Promise<Timeline> {
  const synth = createSynthesizer(prompts);
  const ms = async (key: PromptKey): Promise<number> => {
    const s = await synth.synthesize(renderPrompt(key, business), { sampleRate: 8000, voice: prompts.voice });
    return Math.round(wavDurationMs(readFileSync(s.file)));
  };
  // Every prompt, so no call waits on synthesis (the first-call delay is not what this tier tests: test/engines/README.md).
  const keys: PromptKey[] = ['goodbye-granted', 'goodbye-declined', 'goodbye-message'];
  for (const k of keys) await ms(k);
  return { greetingMs: await ms('greeting'), consentMs: await ms('consent'), repromptMs: await ms('reprompt'), messageSilenceMs: call.messageSilenceMs };
}

export type AnswerPlan =
  /** A tone around the question's end (ANSWER_SLACK_MS either side). */
  | { readonly kind: 'say'; readonly phrase: Phrase }
  /** Silence for `pauseMs` after the question's end, then the phrase. */
  | { readonly kind: 'pause-then-say'; readonly phrase: Phrase; readonly pauseMs: number }
  /** The phrase from before the question's end until `untilMs` after it (the caller hangs up then). */
  | { readonly kind: 'say-until'; readonly phrase: Phrase; readonly untilMs: number };

export interface CallerScript {
  readonly parts: CallerPart[];
  /** From the answer (SIPp's ACK) to the end of the consent question, as planned. */
  readonly questionEndsAtMs: number;
  /** When the caller starts leaving the message. */
  readonly messageAtMs: number;
}

/** The caller's stream: silence through the greeting, the message, then (optionally) the answer. */
export function callerScript(t: Timeline, opts: { answer?: AnswerPlan; endMessageWithHash?: boolean; tailMs?: number }): CallerScript {
  const parts: CallerPart[] = [];
  let at = 0;
  const push = (p: CallerPart, ms: number): void => {
    parts.push(p);
    at += ms;
  };
  const messageAtMs = t.greetingMs + AFTER_GREETING_MS;
  push({ kind: 'silence', ms: messageAtMs }, messageAtMs);
  push({ kind: 'audio', wav: sayPhrase(MESSAGE, MESSAGE_MS) }, MESSAGE_MS);
  let recordingEndsAt: number;
  if (opts.endMessageWithHash) {
    push({ kind: 'silence', ms: 200 }, 200);
    push({ kind: 'key', digit: '#', ms: 200 }, 200);
    recordingEndsAt = at;
  } else {
    recordingEndsAt = at + t.messageSilenceMs;
  }
  const questionEndsAtMs = recordingEndsAt + t.consentMs;
  const a = opts.answer;
  if (a) {
    const gap = (until: number): void => push({ kind: 'silence', ms: until - at }, until - at);
    if (a.kind === 'say') {
      gap(questionEndsAtMs - ANSWER_SLACK_MS);
      push({ kind: 'audio', wav: sayPhrase(a.phrase, 2 * ANSWER_SLACK_MS) }, 2 * ANSWER_SLACK_MS);
    } else if (a.kind === 'pause-then-say') {
      gap(questionEndsAtMs + a.pauseMs);
      push({ kind: 'audio', wav: sayPhrase(a.phrase, 1_000) }, 1_000);
    } else {
      gap(questionEndsAtMs - ANSWER_SLACK_MS);
      const len = ANSWER_SLACK_MS + a.untilMs;
      push({ kind: 'audio', wav: sayPhrase(a.phrase, len) }, len);
    }
  }
  const tail = opts.tailMs ?? 40_000;
  push({ kind: 'silence', ms: tail }, tail);
  return { parts, questionEndsAtMs, messageAtMs };
}

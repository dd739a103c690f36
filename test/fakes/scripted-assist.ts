import { AppError, type ErrorCode } from '../../src/domain/errors.ts';
import type { Assist, AssistAnswer, IntakeDraft, ReplyIntent } from '../../src/domain/ports/assist.ts';

/** What one use answers: a value, an `ASSIST.*` error, or nothing ever (until aborted). */
export type Scripted<T> = { readonly value: T } | { readonly error: ErrorCode } | 'hang';

/**
 * An `Assist` with knobs (livekit's FakeSTT style): each use answers as scripted, records what it was
 * asked, and a hanging call rejects with `ASSIST.TIMEOUT` when its signal aborts.
 */
export class ScriptedAssist implements Assist {
  readonly asked: Array<{ use: 'intake' | 'reply' | 'consent'; text: string }> = [];

  constructor(
    public script: {
      intake?: Scripted<IntakeDraft>;
      reply?: Scripted<{ intent: ReplyIntent }>;
      consent?: Scripted<{ refused: boolean }>;
    } = {},
  ) {}

  intake(transcript: string, signal: AbortSignal): Promise<AssistAnswer<IntakeDraft>> {
    return this.answer('intake', transcript, this.script.intake ?? 'hang', signal);
  }

  classifyReply(text: string, signal: AbortSignal): Promise<AssistAnswer<{ intent: ReplyIntent }>> {
    return this.answer('reply', text, this.script.reply ?? 'hang', signal);
  }

  refineUnclear(answer: string, signal: AbortSignal): Promise<AssistAnswer<{ refused: boolean }>> {
    return this.answer('consent', answer, this.script.consent ?? 'hang', signal);
  }

  private answer<T>(use: 'intake' | 'reply' | 'consent', text: string, s: Scripted<T>, signal: AbortSignal): Promise<AssistAnswer<T>> {
    this.asked.push({ use, text });
    if (s === 'hang') {
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new AppError('ASSIST.TIMEOUT', 'aborted')), { once: true }));
    }
    if ('error' in s) return Promise.reject(new AppError(s.error, `scripted ${s.error}`));
    return Promise.resolve({ value: s.value, model: 'scripted-model', promptVersion: `${use}-test` });
  }
}

export const NO_DRAFT: IntakeDraft = {
  problem: null, callerName: null, serviceAddress: null, callbackNumber: null, timeframe: null, timeframeQuote: null, summary: null,
};

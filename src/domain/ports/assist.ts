/**
 * The assist: a language model reading what the local rules cannot (a message's details, a reply in the
 * caller's own words, a refusal the consent lexicon lacks). Optional, off by default. Its answers are
 * drafts: intake fields are kept only when `checkIntake` finds them in the transcript, a reply verdict can
 * only add a revocation or a forward, and a consent verdict can only turn `unclear` into `declined`
 * (src/domain/assist/). An adapter throws `AppError` with an `ASSIST.*` code when it has no answer.
 */
export const TIMEFRAMES = ['emergency', 'today', 'soon', 'flexible'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** What the model read from a message transcript; every field may be null (not said, or not sure). */
export interface IntakeDraft {
  /** The problem as a short phrase for the first text ("a leaking kitchen faucet"). */
  readonly problem: string | null;
  readonly callerName: string | null;
  readonly serviceAddress: string | null;
  /** A number to call back on, when the caller gave one other than the one they called from. */
  readonly callbackNumber: string | null;
  readonly timeframe: Timeframe | null;
  /** The caller's own words the timeframe rests on ("water everywhere, please come now"). */
  readonly timeframeQuote: string | null;
  /** One line for staff. */
  readonly summary: string | null;
}

/** What an inbound text that is not a keyword asks for. */
export const REPLY_INTENTS = ['revoke', 'question', 'booking', 'other'] as const;
export type ReplyIntent = (typeof REPLY_INTENTS)[number];

export interface AssistAnswer<T> {
  readonly value: T;
  /** The model that answered, as the server named it. */
  readonly model: string;
  /** Which prompt and schema produced it (bumped whenever either changes). */
  readonly promptVersion: string;
}

export interface Assist {
  /** Reads the caller's message transcript. */
  intake(transcript: string, signal: AbortSignal): Promise<AssistAnswer<IntakeDraft>>;
  /** Reads an inbound text that no keyword or phrase rule matched. */
  classifyReply(text: string, signal: AbortSignal): Promise<AssistAnswer<{ readonly intent: ReplyIntent }>>;
  /** Reads a consent answer the rules found unclear: did the caller plainly refuse? */
  refineUnclear(answer: string, signal: AbortSignal): Promise<AssistAnswer<{ readonly refused: boolean }>>;
}

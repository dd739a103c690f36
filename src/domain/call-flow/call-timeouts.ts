/** Safety timers of the call flow. Durations are milliseconds; each says why it is this long. */

/**
 * A playback that never reports its end (trace 05: Asterisk accepts `play` of an unsupported media
 * scheme with 201 and never sends PlaybackFinished). Our longest prompt, the consent script, is about
 * 25 s when spoken; an operator-recorded greeting may run longer, so allow 90 s before giving up.
 */
export const PROMPT_SAFETY_MS = 90_000;

/**
 * Added to a recording's max duration before we stop it ourselves. The engine ends it at max duration;
 * the margin covers the beep, ARI's whole-second max/silence parameters and its reporting delay
 * (trace 06: two recordings started 200 ms apart finished within 3 ms of each other).
 */
export const RECORDING_MARGIN_MS = 5_000;

/**
 * After a consent prompt ends `failed`, wait this long for a hangup before calling it a broken prompt.
 * On a caller hangup Asterisk sends PlaybackFinished `failed` about 2 ms before StasisEnd (trace 02);
 * without the wait the call would be recorded as `failed` instead of `caller-hung-up`.
 */
export const SETTLE_MS = 2_000;

/**
 * After our own hangup the engine confirms within milliseconds (trace 01: StasisEnd follows the DELETE).
 * If it never does, the call is over for us anyway.
 */
export const HANGUP_CONFIRM_MS = 5_000;

/**
 * Last resort against a stuck call (a lost event the other timers do not cover, or a bug). The longest
 * legitimate time on the line is about 8 minutes (greeting, 2-minute message, two questions with their
 * safety margins, goodbye); the watchdog is this plus the message transcription bound.
 */
export const CALL_LINE_BOUND_MS = 15 * 60_000;

/**
 * How long the goodbye waits for the message's urgency when the business has an emergency instruction
 * and the transcript is not in yet (the caller hears the instruction before the goodbye). In
 * verbal mode the transcript is nearly always in by the decision (the consent question and answer take
 * about 30 s); the wait matters where the goodbye follows the message at once (implied mode, withheld
 * callers). A short message transcribes in 1-2 s with base.en on 2 cores (the target for call end →
 * text accepted at p95 3 s), so 3 s of silence is the most any caller waits; past it the goodbye plays
 * and the instruction is skipped, while the urgent note in the text and the staff alert still apply.
 * Businesses without an instruction never wait.
 */
export const URGENCY_WAIT_MS = 3_000;

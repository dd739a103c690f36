/**
 * Engine-neutral scripted callers for the telephony simulators (ARI now, ESL later) and the CallEngine
 * contract suite. A script reacts to moments of the call as the caller would notice them ("the
 * second prompt started", "the first recording started"), because simulated time may jump (see
 * SimScheduler) and absolute times would race the application.
 *
 * Example: the caller leaves a message, then hangs up while the consent question plays:
 *   { caller: '+15550001', dialed: '15551234567',
 *     says: [messageWav],
 *     script: [{ when: { on: 'playback-started', nth: 2 }, do: [{ act: 'hangup' }] }] }
 */

export type CallMoment =
  /** The call reached the application (Stasis / socket), before any answer. */
  | { readonly on: 'offered' }
  | { readonly on: 'answered' }
  /** nth is 1-based and counts per call. */
  | { readonly on: 'playback-started'; readonly nth: number }
  | { readonly on: 'playback-finished'; readonly nth: number }
  | { readonly on: 'recording-started'; readonly nth: number }
  | { readonly on: 'recording-finished'; readonly nth: number };

export type CallerAction =
  /** Start speaking this WAV (any PCM WAV; the simulator converts it to 8 kHz mono). Silence follows. */
  | { readonly act: 'speak'; readonly wav: Buffer; readonly afterMs?: number }
  /** A DTMF digit; `afterMs` counts from the moment. The engine reports it when the digit ends. */
  | { readonly act: 'dtmf'; readonly digit: string; readonly afterMs?: number }
  | { readonly act: 'hangup'; readonly afterMs?: number };

export interface CallerStep {
  readonly when: CallMoment;
  readonly do: readonly CallerAction[];
}

export interface ScriptedCall {
  /** Caller ID number as the trunk delivers it ('' or 'anonymous' for withheld callers). */
  readonly caller: string;
  readonly callerName?: string;
  /** The number that was dialed (the business DID). */
  readonly dialed: string;
  /**
   * Shorthand for the usual call: when recording #i+1 starts, the caller says `says[i]`, then stays
   * silent, so a recording with silence detection ends on silence right after the speech.
   */
  readonly says?: readonly Buffer[];
  /** Further steps, for DTMF, hangups and anything `says` cannot express. */
  readonly script?: readonly CallerStep[];
}

/** What the simulated caller lived through, for assertions. */
export interface ScriptedCallResult {
  /**
   * 'app' when the application hung up, 'caller' when the script did, 'engine' on restart/shutdown,
   * 'rejected' when no app was connected, 'continued' when the application handed the call back to
   * the dialplan (ARI `continue`, the ESL socket ended on a live call): the dialplan's next line takes it.
   */
  readonly endedBy: 'app' | 'caller' | 'engine' | 'rejected' | 'continued';
  readonly answered: boolean;
  readonly playbacks: number;
  readonly recordings: number;
  /** Variables the application set on the channel (ARI `POST …/variable`, ESL `uuid_setvar`): what the dialplan reads next. */
  readonly appVariables: Readonly<Record<string, string>>;
}

/** Expands `says` into steps: the moments at which the caller speaks. */
export function scriptSteps(call: ScriptedCall): CallerStep[] {
  const steps: CallerStep[] = (call.says ?? []).map((wav, i) => ({
    when: { on: 'recording-started', nth: i + 1 },
    do: [{ act: 'speak', wav }],
  }));
  return [...steps, ...(call.script ?? [])];
}

export function momentMatches(step: CallMoment, happened: CallMoment): boolean {
  if (step.on !== happened.on) return false;
  if ('nth' in step && 'nth' in happened) return step.nth === happened.nth;
  return true;
}

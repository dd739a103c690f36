import type { IntakeFields } from '../../domain/assist/intake-check.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { GuardedAssist } from './guarded-assist.ts';

/**
 * The assisted intake of each call's message, started as soon as the message is transcribed and never
 * waited for on the call's path: the first text takes the checked problem phrase only if the intake has
 * already settled by the time the text is queued (`settledProblem` never waits), and the staff
 * notification, sent after the call, waits for it (`take`, bounded by the assist's deadline).
 */

/** Calls whose intake is kept at once: a bound so that a call nobody `take`s cannot grow the map forever. */
const MAX_OPEN = 500;

export class CallIntake {
  private readonly open = new Map<number, { promise: Promise<IntakeFields | null>; settled: IntakeFields | null | undefined }>();

  constructor(
    private readonly assist: GuardedAssist,
    private readonly logger: Logger,
  ) {}

  /** Starts the intake of a call's message transcript (once per call; a second call is ignored). */
  begin(input: { callId: number; businessId: number; transcript: string }): void {
    if (!this.assist.enabled('intake') || this.open.has(input.callId)) return;
    if (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value!);
    const entry: { promise: Promise<IntakeFields | null>; settled: IntakeFields | null | undefined } = { promise: Promise.resolve(null), settled: undefined };
    entry.promise = this.assist
      .intake({ callId: input.callId, businessId: input.businessId }, input.transcript)
      .then((c) => c?.fields ?? null)
      .catch((err: unknown) => {
        this.logger.error({ callId: input.callId, err: (err as Error).message }, 'assisted intake failed');
        return null;
      })
      .then((fields) => {
        entry.settled = fields;
        return fields;
      });
    this.open.set(input.callId, entry);
  }

  /** The checked problem phrase, if the intake has settled already; never waits. */
  settledProblem(callId: number): string | null {
    return this.open.get(callId)?.settled?.problem ?? null;
  }

  /** The call's checked fields once its intake settles (null when none was started); forgets the call. */
  async take(callId: number): Promise<IntakeFields | null> {
    const entry = this.open.get(callId);
    if (entry === undefined) return null;
    try {
      return await entry.promise;
    } finally {
      this.open.delete(callId);
    }
  }
}

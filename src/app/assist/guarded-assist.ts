import { refineDecision } from '../../domain/assist/consent-refinement.ts';
import { checkIntake, INTAKE_FIELDS, rejectedFields, type CheckedIntake } from '../../domain/assist/intake-check.ts';
import { routeReply, type ReplyRoute } from '../../domain/assist/reply-routing.ts';
import { isAppError } from '../../domain/errors.ts';
import type { ParsedInbound } from '../../domain/messaging/keyword-parser.ts';
import type { Assist, AssistAnswer } from '../../domain/ports/assist.ts';
import type { AssistOutcome, AssistRecord, AssistUse } from '../../domain/ports/assist-log.ts';
import type { AsyncAssistLog } from '../../domain/ports/async-stores.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { ConsentDecision } from '../../domain/ports/consent-classifier.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';

/**
 * The assist as the use cases see it: each call bounded by its deadline, refused at once while the
 * circuit is open, its answer passed through the domain's guard (checked fields, rules-first routing,
 * unclear→declined only), recorded with model, prompt version, latency and check outcome, and counted.
 * Any failure returns what the local rules alone decide; nothing here throws.
 *
 * Logs carry the use, outcome and error code only: never the transcript, the text, or anything the model
 * wrote (a transcript can hold words aimed at the model, and they must not reach a log line).
 */
export interface AssistMetrics {
  assistCall(use: AssistUse, outcome: AssistOutcome): void;
  assistFieldRejected(field: string): void;
}

export interface GuardedAssistConfig {
  readonly uses: Readonly<Record<AssistUse, boolean>>;
  /** Whole-call deadlines (ms), retries included. */
  readonly deadlines: Readonly<Record<AssistUse, number>>;
  readonly defaultCountry?: 'US' | 'CA';
}

export interface GuardedAssistDeps {
  readonly assist: Assist;
  readonly breaker: CircuitBreaker;
  /** The async port (SQLite in turns, or PostgreSQL); never called inside an outbox transaction. */
  readonly log: AsyncAssistLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: AssistMetrics;
}

interface Attempt<T> {
  readonly outcome: AssistOutcome;
  readonly answer: AssistAnswer<T> | null;
  readonly errorCode: string | null;
  readonly latencyMs: number;
}

export class GuardedAssist {
  private readonly log: Logger;

  constructor(
    private readonly cfg: GuardedAssistConfig,
    private readonly d: GuardedAssistDeps,
  ) {
    this.log = d.logger.child({ component: 'assist' });
  }

  enabled(use: AssistUse): boolean {
    return this.cfg.uses[use];
  }

  /** The message intake: checked fields, or null when the assist is off, failed, or had nothing. */
  async intake(ctx: { callId: number | null; businessId: number | null }, transcript: string): Promise<CheckedIntake | null> {
    if (!this.enabled('intake') || transcript.trim() === '') return null;
    const a = await this.attempt('intake', (signal) => this.d.assist.intake(transcript, signal));
    const checked = a.answer === null ? null : checkIntake(a.answer.value, transcript, { defaultCountry: this.cfg.defaultCountry ?? 'US' });
    const rejected = checked === null ? [] : rejectedFields(checked);
    for (const f of rejected) this.d.metrics?.assistFieldRejected(f);
    const accepted = checked === null ? [] : INTAKE_FIELDS.filter((f) => checked.checks[f] === 'accepted');
    await this.record(a, {
      use: 'intake',
      businessId: ctx.businessId,
      callId: ctx.callId,
      inboundId: null,
      checks: checked?.checks ?? null,
      result: checked?.fields ?? null,
      applied: accepted.length > 0 ? `fields:${accepted.join(',')}` : 'none',
    });
    if (rejected.length > 0) this.log.info({ callId: ctx.callId, rejected }, 'assisted intake fields rejected by the transcript check');
    return checked;
  }

  /** Routes an inbound text the keyword rules did not match: rules first, the assist may add. */
  async routeReply(ctx: { businessId: number | null; inboundId: number | null }, parsed: ParsedInbound, text: string): Promise<ReplyRoute> {
    const local = routeReply(parsed, text, null);
    if (!this.enabled('reply') || parsed.intent !== 'other' || local.revoke) return local;
    const a = await this.attempt('reply', (signal) => this.d.assist.classifyReply(text, signal));
    const route = routeReply(parsed, text, a.answer?.value.intent ?? null);
    await this.record(a, {
      use: 'reply',
      businessId: ctx.businessId,
      callId: null,
      inboundId: ctx.inboundId,
      checks: null,
      result: a.answer === null ? null : { intent: a.answer.value.intent },
      applied: route.by !== 'assist' ? 'none' : route.revoke ? 'revoke' : 'forward',
    });
    return route;
  }

  /** A consent answer the rules found unclear: `declined` when the assist reads a plain refusal. Never `granted`. */
  async refineUnclear(ctx: { callId: number | null; businessId: number | null }, rules: ConsentDecision, answer: string): Promise<ConsentDecision> {
    if (!this.enabled('consent') || rules !== 'unclear' || answer.trim() === '') return rules;
    const a = await this.attempt('consent', (signal) => this.d.assist.refineUnclear(answer, signal));
    const decision = refineDecision(rules, a.answer?.value.refused ?? null);
    await this.record(a, {
      use: 'consent',
      businessId: ctx.businessId,
      callId: ctx.callId,
      inboundId: null,
      checks: null,
      result: a.answer === null ? null : { refused: a.answer.value.refused },
      applied: decision === rules ? 'none' : decision,
    });
    return decision;
  }

  private async attempt<T>(use: AssistUse, call: (signal: AbortSignal) => Promise<AssistAnswer<T>>): Promise<Attempt<T>> {
    const started = this.d.clock.now();
    const done = (outcome: AssistOutcome, answer: AssistAnswer<T> | null, errorCode: string | null): Attempt<T> => {
      this.d.metrics?.assistCall(use, outcome);
      return { outcome, answer, errorCode, latencyMs: Math.max(0, this.d.clock.now() - started) };
    };
    if (!this.d.breaker.allow()) return done('circuit-open', null, 'ASSIST.CIRCUIT_OPEN');
    const ac = new AbortController();
    let cancel: () => void = () => {};
    const deadline = new Promise<'timeout'>((resolve) => {
      cancel = this.d.clock.setTimer(this.cfg.deadlines[use], () => {
        ac.abort(new Error('assist deadline'));
        resolve('timeout');
      });
    });
    try {
      const r = await Promise.race([call(ac.signal), deadline]);
      if (r === 'timeout') {
        this.d.breaker.failure();
        this.log.warn({ use, deadlineMs: this.cfg.deadlines[use] }, 'assist timed out; the local rules decide');
        return done('timeout', null, 'ASSIST.TIMEOUT');
      }
      this.d.breaker.success();
      return done('ok', r, null);
    } catch (err) {
      const code = isAppError(err) ? err.code : 'INTERNAL';
      const retryAfterMs = isAppError(err) && typeof err.details.retryAfterMs === 'number' ? err.details.retryAfterMs : null;
      this.d.breaker.failure({ retryAfterMs });
      const outcome: AssistOutcome = code === 'ASSIST.TIMEOUT' ? 'timeout' : code === 'ASSIST.BAD_OUTPUT' ? 'bad-output' : 'failed';
      (code === 'ASSIST.REJECTED' ? this.log.error : this.log.warn).call(this.log, { use, code, breaker: this.d.breaker.state }, 'assist call failed; the local rules decide');
      return done(outcome, null, code);
    } finally {
      cancel();
    }
  }

  private async record<T>(a: Attempt<T>, r: { use: AssistUse; businessId: number | null; callId: number | null; inboundId: number | null; checks: AssistRecord['checks']; result: unknown; applied: string }): Promise<void> {
    try {
      await this.d.log.record({
        ...r,
        model: a.answer?.model ?? null,
        promptVersion: a.answer?.promptVersion ?? null,
        outcome: a.outcome,
        errorCode: a.errorCode,
        latencyMs: a.latencyMs,
        at: this.d.clock.now(),
      });
    } catch (err) {
      this.log.error({ use: r.use, err: (err as Error).message }, 'assist result could not be recorded');
    }
  }
}

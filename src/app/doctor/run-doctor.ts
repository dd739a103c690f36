import { isAppError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { CheckOutcome, CheckResult, DoctorCheck, DoctorReport } from './doctor-check.ts';

/**
 * Runs every check at once, each against its own deadline, so that one dependency that never answers
 * (a firewall dropping SYNs to the SMSC, an Asterisk stuck at boot) costs one failed row after its
 * timeout instead of hanging doctor. A check that throws fails with the error's message; the checks do
 * the I/O, this use case only schedules and collects (no I/O here).
 */
export interface RunDoctorOptions {
  /**
   * Default deadline per check. 15 s is above every probe's own timeouts (ARI requests and the ESL
   * login give up after 5 s, an SMPP bind after smpp.responseTimeout, 10 s by default), so the probes
   * normally report their own, more precise, failure first; this deadline only catches what they miss.
   */
  readonly timeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

export async function runDoctor(
  checks: readonly DoctorCheck[],
  deps: { readonly clock: Pick<Clock, 'setTimer'> },
  opts: RunDoctorOptions = {},
): Promise<DoctorReport> {
  const results = await Promise.all(checks.map((c) => runOne(c, deps.clock, c.timeoutMs ?? opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS)));
  return { ok: results.every((r) => r.status !== 'fail'), results };
}

function runOne(check: DoctorCheck, clock: Pick<Clock, 'setTimer'>, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController();
  return new Promise<CheckResult>((resolve) => {
    let settled = false;
    const settle = (o: CheckOutcome): void => {
      if (settled) return;
      settled = true;
      cancel();
      resolve({ name: check.name, status: o.status, detail: o.detail });
    };
    const cancel = clock.setTimer(timeoutMs, () => {
      settle({ status: 'fail', detail: `no answer within ${formatSeconds(timeoutMs)}; gave up` });
      controller.abort(new Error(`doctor check ${check.name} timed out`));
    });
    let pending: Promise<CheckOutcome> | CheckOutcome;
    try {
      pending = check.run(controller.signal);
    } catch (e) {
      settle(failure(e));
      return;
    }
    // A synchronous answer settles now: it must not lose a race against a deadline that is already due.
    if (isThenable(pending)) pending.then(settle, (e: unknown) => settle(failure(e)));
    else settle(pending);
  });
}

function isThenable(v: unknown): v is PromiseLike<CheckOutcome> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** The error's own message, first line only: multi-line messages can quote input (a YAML line). */
function failure(e: unknown): CheckOutcome {
  const message = isAppError(e) || e instanceof Error ? e.message : String(e);
  return { status: 'fail', detail: message.split('\n', 1)[0] ?? '' };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `callkeeper doctor`: a list of named checks, each answering ok, warn or fail with one line
 * of detail an installer can act on. A warning does not fail the run (e.g. the ARI app is registered
 * only while `serve` is connected); a failure does (exit 1).
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckOutcome {
  readonly status: CheckStatus;
  /** One line, for people. Never secrets, phone numbers or transcripts. */
  readonly detail: string;
}

export interface CheckResult extends CheckOutcome {
  readonly name: string;
}

export interface DoctorCheck {
  readonly name: string;
  /** Overrides the run's timeout, for a check known to need longer (the ledger walk on a large database). */
  readonly timeoutMs?: number;
  /**
   * Does the probing. The signal is aborted when the check has run out of time: a check that opened a
   * socket or started a peer session must close it then, so that a hanging dependency cannot hold the
   * process open after doctor has reported it.
   */
  run(signal: AbortSignal): Promise<CheckOutcome> | CheckOutcome;
}

export interface DoctorReport {
  /** False when any check failed; warnings keep it true. */
  readonly ok: boolean;
  /** In the order the checks were given. */
  readonly results: readonly CheckResult[];
}

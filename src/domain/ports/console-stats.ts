/** The figures behind the console's dashboard and health page (read-only queries). */
export interface DayCount {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly key: string;
  readonly n: number;
}

export interface RecentError {
  readonly at: number;
  /** `text` (an outbound text that failed) or `staff` (a staff notification that failed). */
  readonly kind: 'text' | 'staff';
  readonly ref: number;
  readonly state: string;
  readonly detail: string;
}

export interface ConsoleStats {
  /** Calls started since `since`, by UTC day and outcome (`in-progress` when none yet). */
  callsPerDay(since: number): DayCount[];
  /** Verbal consent decisions recorded since `since`, by UTC day and event (granted, declined, unclear). */
  consentPerDay(since: number): DayCount[];
  /** Texts to consumers by current state (staff alerts left out). */
  textsByState(): Array<{ state: string; n: number }>;
  /** Texts waiting to go out (queued or being submitted). */
  queueDepth(): number;
  /** The latest failed texts and staff notifications, newest first. */
  recentErrors(limit: number): RecentError[];
}
